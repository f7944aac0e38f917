// Chunk shapes of streamed tool calls as three OpenAI-compatible servers send them, for the fake
// server (sse-server.ts). Envelopes (id, created, model) are trimmed to what clients read; the
// deltas' shapes, field order and the trailing chunks follow the recorded streams named below.
import { deltaChunk, usageChunk } from './sse-server.js';

export interface Call {
  id: string;
  name: string;
  /** The arguments' JSON text, sent in the pieces a server would cut it into. */
  arguments: string;
}

/** `{"code": …}` as a model writes it. */
export const codeArgs = (code: string) => JSON.stringify({ code });

/** Cuts text into pieces of about `size` characters, as a tokenizer's deltas would. */
function pieces(text: string, size = 7): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/**
 * llama.cpp's llama-server (`--jinja`), as recorded from a Qwen3-Coder stream
 * (g0t4/ask-openai.nvim, lua/ask-openai/tools/notes/llama-server-tool-call.md) and as its server
 * tests read them (ggml-org/llama.cpp tools/server/tests/unit/test_tool_call.py): a role-only delta
 * with `content: null`; per call a first piece with index, id, type, name and `arguments: ""`, then
 * the arguments in pieces under the same index; an empty delta with `finish_reason: "tool_calls"`;
 * a usage chunk with no choices; `[DONE]`.
 */
export function llamaCppToolStream(calls: Call[], content: string[] = []): string[] {
  return [
    deltaChunk({ role: 'assistant', content: null }),
    ...content.map((c) => deltaChunk({ content: c })),
    ...calls.flatMap((c, index) => [
      deltaChunk({
        tool_calls: [
          { index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } },
        ],
      }),
      ...pieces(c.arguments).map((a) =>
        deltaChunk({ tool_calls: [{ index, function: { arguments: a } }] }),
      ),
    ]),
    deltaChunk({}, 'tool_calls'),
    usageChunk(310, 42),
    '[DONE]',
  ];
}

/**
 * Ollama's OpenAI compatibility layer (ollama/ollama openai/openai.go), as recorded from
 * qwen2.5-coder (g0t4/ask-openai.nvim, lua/ask-openai/backends/ollama/notes/sses.md): each call
 * whole in one chunk, with `role`, `content: ""`, id `call_…`, index, and the complete arguments;
 * then a chunk with `finish_reason: "tool_calls"`; usage; `[DONE]`. `withIndex: false` is the
 * older layer that numbered nothing.
 */
export function ollamaToolStream(calls: Call[], withIndex = true): string[] {
  return [
    ...calls.map((c, index) =>
      deltaChunk({
        role: 'assistant',
        content: '',
        tool_calls: [
          {
            id: c.id,
            ...(withIndex ? { index } : {}),
            type: 'function',
            function: { name: c.name, arguments: c.arguments },
          },
        ],
      }),
    ),
    deltaChunk({ role: 'assistant', content: '' }, 'tool_calls'),
    usageChunk(298, 40),
    '[DONE]',
  ];
}

/**
 * vLLM with `--enable-auto-tool-choice --tool-call-parser hermes` (vllm-project/vllm
 * entrypoints/openai/serving_chat.py and tool_parsers/hermes_tool_parser.py, as its
 * tests/tool_use streaming tests assemble them): a role delta with `content: ""`; per call a piece
 * with id `chatcmpl-tool-…`, type, index and only the name; then `arguments` pieces; the last
 * delta with `finish_reason: "tool_calls"`; usage (stream_options.include_usage); `[DONE]`.
 */
export function vllmToolStream(calls: Call[]): string[] {
  return [
    deltaChunk({ role: 'assistant', content: '' }),
    ...calls.flatMap((c, index) => [
      deltaChunk({
        tool_calls: [{ id: c.id, type: 'function', index, function: { name: c.name } }],
      }),
      ...pieces(c.arguments, 5).map((a) =>
        deltaChunk({ tool_calls: [{ index, function: { arguments: a } }] }),
      ),
    ]),
    deltaChunk({ content: '' }, 'tool_calls'),
    usageChunk(305, 44),
    '[DONE]',
  ];
}
