// "Run a cell": one block in the kernel (or recorded as skipped), its files hashed, its outputs
// kept within the run's output budget, the record added to the run state; and the results
// message that answers a turn's cells, cut to fit the context window.
import { sha256Hex } from '@localds/scorer';
import type { CellResult } from '../sandbox/types.js';
import { EndOfRun, message } from './end-of-run.js';
import type { LoopContext } from './loop-context.js';
import type { ChatMessage } from '../model/types.js';
import type { RunnableSegment, CallOutcome, ProtocolTurn } from './protocol.js';
import type { CellRecord } from './types.js';

/** Runs one block, or records it as skipped when an earlier cell of its turn failed. */
export async function runCell(
  run: LoopContext,
  turn: number,
  block: RunnableSegment,
  skip: boolean,
): Promise<CellRecord> {
  const index = run.state.cells.length;
  const base = {
    index,
    turn,
    code: block.code,
    unterminated: !block.terminated,
    ...(block.call ? { toolCallId: block.call.id } : {}),
  };
  if (skip) {
    const skipped: CellRecord = {
      ...base,
      status: 'skipped',
      executionCount: null,
      outputs: [],
      durationMs: 0,
      stateLost: false,
      requests: [],
      files: [],
      figures: [],
    };
    run.state.addCell(skipped);
    return skipped;
  }
  run.emit({ type: 'cell_started', turn, cell: index, code: block.code });
  const result = await execute(run, block.code, index);
  const executionCount = ++run.state.executionCount;
  const record: CellRecord = {
    ...base,
    status: result.status,
    executionCount,
    // The notebook's counter, not the kernel's (which restarts with the kernel).
    outputs: run.outputBudget
      .record(result.outputs)
      .map((o) =>
        o.output_type === 'execute_result' ? { ...o, execution_count: executionCount } : o,
      ),
    durationMs: result.durationMs,
    stateLost: result.stateLost,
    requests: result.requests,
    files: await filesWritten(run, result, turn, index),
    figures: result.figures,
    ...(result.peakMemoryBytes === undefined ? {} : { peakMemoryBytes: result.peakMemoryBytes }),
  };
  run.state.addCell(record);
  run.emit({ type: 'cell_finished', turn, cell: record });
  return record;
}

async function execute(run: LoopContext, code: string, index: number): Promise<CellResult> {
  try {
    return await run.sandbox.run(code, {
      timeoutMs: run.budget.cellTimeoutMs(),
      signal: run.budget.signal,
    });
  } catch (error) {
    throw new EndOfRun(
      'sandbox_error',
      `the sandbox failed running cell ${index}: ${message(error)}`,
    );
  }
}

/** The files a cell wrote, each with its hash when it can still be read. */
async function filesWritten(
  run: LoopContext,
  result: CellResult,
  turn: number,
  index: number,
): Promise<CellRecord['files']> {
  // Read and hashed together; the run folder holds them all in the end anyway.
  const hashes = await Promise.all(
    result.filesWritten.map(async (f) => {
      try {
        return await sha256Hex(await run.sandbox.readFile(f.name));
      } catch {
        // The file may be gone already (written then deleted); its size is still on record.
        return null;
      }
    }),
  );
  return result.filesWritten.map((f, i) => {
    run.emit({ type: 'file_written', turn, cell: index, name: f.name, size: f.size });
    return { name: f.name, size: f.size, sha256: hashes[i] ?? null };
  });
}

/**
 * The results message, its outputs cut shorter (halving, down to 100 characters) when the full
 * one would not fit beside the system prompt, the task and the turn it answers: in a small window
 * a wide table printed once must not end the run.
 */
export function resultsFor(
  run: LoopContext,
  outcomes: CallOutcome[],
  turn: ProtocolTurn,
): ChatMessage[] {
  let chars = run.maxOutputChars;
  const measured = () => {
    const messages = run.protocol.results(outcomes, chars, turn);
    return { messages, text: messages.map((m) => m.content).join('\n\n') };
  };
  let got = measured();
  while (chars > 100 && !run.budget.fitsBeside(run.state, got.text)) {
    chars = Math.max(100, Math.floor(chars / 2));
    got = measured();
  }
  return got.messages;
}
