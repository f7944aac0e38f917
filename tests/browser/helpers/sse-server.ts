// A llama-server look-alike on 127.0.0.1 for the page: GET /v1/models and streamed
// POST /v1/chat/completions in llama.cpp's chunk shapes (role-only first delta, reasoning_content,
// content, a finish chunk, a usage chunk, [DONE]). It answers with scripted replies in order:
// whatever it streams is still a script, not a model. By default it refuses `tools` as
// llama-server without `--jinja` does (so the page's `auto` falls back to fenced); with
// `tools: true` it takes them and streams replies that are tool-call messages as llama.cpp does.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A reply: the assistant's text, or a message with tool calls (a tools replay file's shape). */
export type ScriptedReply =
  string | { content?: string; tool_calls: { id?: string; name: string; arguments: unknown }[] };

export interface ScriptedServer {
  baseUrl: string;
  /** Bodies of the chat requests, parsed (not the tool probes). */
  chatBodies: Record<string, unknown>[];
  /** Requests that offered tools and were refused, or probes that were answered. */
  toolProbes: number;
  close: () => Promise<void>;
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

/** `cors: false` leaves out Access-Control-Allow-Origin, as Ollama does for unknown origins. */
export async function startScriptedServer(
  replies: ScriptedReply[],
  {
    cors = true,
    model = 'scripted-stdlib',
    tools = false,
  }: { cors?: boolean; model?: string; tools?: boolean } = {},
): Promise<ScriptedServer> {
  const chatBodies: Record<string, unknown>[] = [];
  let toolProbes = 0;
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
      const parsed = JSON.parse(Buffer.concat(body).toString('utf8')) as Record<string, unknown>;
      if (parsed.tools && !tools) {
        toolProbes++;
        res.writeHead(400, { 'content-type': 'application/json' });
        return void res.end(
          JSON.stringify({ error: { code: 400, message: 'tools param requires --jinja flag' } }),
        );
      }
      const probe = parsed.tools && parsed.max_tokens === 1;
      if (probe) toolProbes++;
      else chatBodies.push(parsed);
      const reply = probe ? 'OK' : (replies[next++] ?? 'DONE');
      const text = typeof reply === 'string' ? reply : (reply.content ?? '');
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk({ role: 'assistant', content: null }));
      res.write(chunk({ reasoning_content: `Scripted reasoning for reply ${next}.` }));
      for (let i = 0; i < text.length; i += 400)
        res.write(chunk({ content: text.slice(i, i + 400) }));
      const calls = typeof reply === 'string' ? [] : reply.tool_calls;
      calls.forEach((c, index) => {
        const args = typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments);
        const id = c.id ?? `call_${next}_${index}`;
        res.write(
          chunk({
            tool_calls: [
              { index, id, type: 'function', function: { name: c.name, arguments: '' } },
            ],
          }),
        );
        for (let i = 0; i < args.length; i += 400)
          res.write(
            chunk({ tool_calls: [{ index, function: { arguments: args.slice(i, i + 400) } }] }),
          );
      });
      res.write(chunk({}, calls.length ? 'tool_calls' : 'stop'));
      res.write(
        `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 100, completion_tokens: Math.ceil(text.length / 4) + 1 } })}\n\n`,
      );
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    chatBodies,
    get toolProbes() {
      return toolProbes;
    },
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
