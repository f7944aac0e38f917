// A llama-server look-alike on 127.0.0.1 for the page: GET /v1/models and streamed
// POST /v1/chat/completions in llama.cpp's chunk shapes (role-only first delta, reasoning_content,
// content, a finish chunk, a usage chunk, [DONE]). It answers with scripted replies in order:
// whatever it streams is still a script, not a model.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedServer {
  baseUrl: string;
  /** Bodies of the chat requests, parsed. */
  chatBodies: Record<string, unknown>[];
  close: () => Promise<void>;
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

/** `cors: false` leaves out Access-Control-Allow-Origin, as Ollama does for unknown origins. */
export async function startScriptedServer(
  replies: string[],
  { cors = true, model = 'scripted-stdlib' }: { cors?: boolean; model?: string } = {},
): Promise<ScriptedServer> {
  const chatBodies: Record<string, unknown>[] = [];
  let next = 0;
  const server = http.createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => {
      if (cors) {
        res.setHeader('access-control-allow-origin', '*');
        res.setHeader('access-control-allow-headers', '*');
      }
      if (req.method === 'OPTIONS') return void res.writeHead(204).end();
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(
          JSON.stringify({ object: 'list', data: [{ id: model, object: 'model' }] }),
        );
      }
      if (path !== '/v1/chat/completions') return void res.writeHead(404).end();
      chatBodies.push(JSON.parse(Buffer.concat(body).toString('utf8')) as Record<string, unknown>);
      const reply = replies[next++] ?? 'DONE';
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk({ role: 'assistant', content: null }));
      res.write(chunk({ reasoning_content: `Scripted reasoning for reply ${next}.` }));
      for (let i = 0; i < reply.length; i += 400)
        res.write(chunk({ content: reply.slice(i, i + 400) }));
      res.write(chunk({}, 'stop'));
      res.write(
        `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 100, completion_tokens: Math.ceil(reply.length / 4) } })}\n\n`,
      );
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    chatBodies,
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
