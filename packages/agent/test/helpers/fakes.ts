// Deterministic stand-ins for the loop's two collaborators: a scripted ChatModel that records every
// request, and a PythonSandbox whose cells are answered by a function of their code.
import type {
  ChatModel,
  ChatRequest,
  ChatStreamEvent,
  FinishReason,
  StreamedToolCall,
  TokenUsage,
} from '../../src/model/types.js';
import type { ModelError } from '../../src/model/errors.js';
import type { CellResult, FileInfo, PythonSandbox, RunOptions } from '../../src/sandbox/types.js';
import { runAgent } from '../../src/loop/run-agent.js';
import type { AgentEvent, AgentRunResult, RunAgentOptions } from '../../src/loop/types.js';

export interface ScriptedTurn {
  text: string;
  reasoning?: string;
  finishReason?: FinishReason;
  usage?: TokenUsage;
  /** With finishReason 'error': the adapter's error, as a `done` event carries it. */
  error?: ModelError;
  /** Throw after streaming the text, as a dropped connection would. */
  throws?: string;
  /** Wait for the request's signal before finishing (a model that never ends on its own). */
  hang?: boolean;
  /** Tool calls the server parsed, as the closing event carries them. */
  toolCalls?: StreamedToolCall[];
}

export class FakeModel implements ChatModel {
  readonly kind = 'replay' as const;
  readonly id = 'fake:scripted';
  readonly scripted = true;
  readonly requests: ChatRequest[] = [];
  private next = 0;

  constructor(
    private readonly turns: ScriptedTurn[],
    readonly contextWindow?: number,
  ) {}

  async *stream(request: ChatRequest): AsyncIterable<ChatStreamEvent> {
    this.requests.push({ ...request, messages: request.messages.map((m) => ({ ...m })) });
    const turn = this.turns[this.next++];
    if (!turn) {
      yield { type: 'done', finishReason: 'exhausted' };
      return;
    }
    if (turn.reasoning) yield { type: 'token', channel: 'reasoning', text: turn.reasoning };
    // Two pieces, so consumers must concatenate.
    const half = Math.floor(turn.text.length / 2);
    for (const piece of [turn.text.slice(0, half), turn.text.slice(half)]) {
      if (piece) yield { type: 'token', channel: 'answer', text: piece };
    }
    if (turn.throws) throw new Error(turn.throws);
    if (turn.hang) {
      await new Promise<void>((resolve) => {
        if (request.signal?.aborted) resolve();
        request.signal?.addEventListener('abort', () => resolve(), { once: true });
      });
      yield { type: 'done', finishReason: 'abort' };
      return;
    }
    yield {
      type: 'done',
      finishReason: turn.finishReason ?? 'stop',
      usage: turn.usage,
      ...(turn.error ? { error: turn.error } : {}),
      ...(turn.toolCalls ? { toolCalls: turn.toolCalls } : {}),
    };
  }
}

export type CellScript = (
  code: string,
  opts: RunOptions | undefined,
) => Partial<CellResult> & {
  /** Files this cell writes (name → content). */
  writes?: Record<string, string>;
  throws?: string;
};

/** Echoes `print("…")` calls as stdout by default; a script decides everything else. */
export class FakeSandbox implements PythonSandbox {
  readonly isolation = 'node-pyodide' as const;
  readonly ready = Promise.resolve();
  readonly ran: { code: string; opts: RunOptions | undefined }[] = [];
  readonly files = new Map<string, Uint8Array>();

  constructor(private readonly script: CellScript = () => ({})) {}

  isolationReport(): object {
    return { level: this.isolation, fake: true };
  }

  async run(code: string, opts?: RunOptions): Promise<CellResult> {
    this.ran.push({ code, opts });
    const { writes, throws, ...rest } = this.script(code, opts);
    if (throws) throw new Error(throws);
    const filesWritten: CellResult['filesWritten'] = [];
    for (const [name, text] of Object.entries(writes ?? {})) {
      const bytes = new TextEncoder().encode(text);
      this.files.set(name, bytes);
      filesWritten.push({ name, size: bytes.length });
    }
    const printed = [...code.matchAll(/print\("([^"]*)"\)/g)].map((m) => `${m[1]}\n`).join('');
    return {
      status: 'ok',
      outputs: printed ? [{ output_type: 'stream', name: 'stdout', text: printed }] : [],
      durationMs: 5,
      stateLost: false,
      requests: [],
      filesWritten,
      figures: [],
      ...rest,
    };
  }

  async listFiles(): Promise<FileInfo[]> {
    return [...this.files].map(([name, b]) => ({ name, size: b.length, mtimeMs: 0 }));
  }

  async readFile(name: string): Promise<Uint8Array> {
    const bytes = this.files.get(name);
    if (!bytes) throw new Error(`no file ${name}`);
    return bytes;
  }

  async writeFile(name: string, bytes: Uint8Array): Promise<void> {
    this.files.set(name, bytes);
  }

  async restart(): Promise<void> {}
  async dispose(): Promise<void> {}
}

/** Limits for runs on the fakes: roomy enough that only a test's own override ends a run. */
export const budgets = {
  maxTurns: 10,
  maxTotalTokens: 1_000_000,
  wallTimeMs: 60_000,
  cellTimeoutMs: 5_000,
};

export const fence = (code: string, lang = 'python') => `\`\`\`${lang}\n${code}\n\`\`\``;

/** A one-deliverable task for loop tests: only summary.json is required. */
export const toyBenchmark = {
  id: 'toy',
  version: '1.0.0',
  task: 'Write summary.json with the answer.',
  requiredOutputs: [{ file: 'summary.json' }],
};

/** A run of the loop on the fakes (the toy benchmark, roomy budgets), every event kept. */
export async function runOnFakes(
  turns: ScriptedTurn[],
  script?: CellScript,
  extra: Partial<RunAgentOptions> = {},
): Promise<{
  result: AgentRunResult;
  model: FakeModel;
  sandbox: FakeSandbox;
  events: AgentEvent[];
}> {
  const model = new FakeModel(turns);
  const sandbox = new FakeSandbox(script);
  const events: AgentEvent[] = [];
  const result = await runAgent({
    model,
    sandbox,
    benchmark: toyBenchmark,
    sampling: { temperature: 0 },
    budgets,
    onEvent: (e) => events.push(e),
    ...extra,
  });
  return { result, model, sandbox, events };
}
