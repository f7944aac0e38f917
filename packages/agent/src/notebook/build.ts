// The run as `analysis.ipynb`: the model's prose as Markdown cells and its code as code cells with
// the outputs the sandbox really produced. Deterministic (no clock, fixed key order, sequential
// ids), so the same run always gives the same bytes; keys are redacted as everywhere else.
import { redactSecrets } from '@localds/scorer';
import type { NotebookOutput } from '../sandbox/types.js';
import type { AgentRunResult, CellRecord } from '../loop/types.js';
import { validateNotebook, type NbCell, type NbOutput, type NotebookV4 } from './schema.js';

export interface NotebookMeta {
  /** Python version the kernel ran, e.g. `3.13.2`, when known (language_info.version). */
  pythonVersion?: string;
  runId?: string;
}

export const SCRIPTED_NOTE =
  '> **Scripted run.** These cells were replayed from a file of prepared responses, not written by a live model.';

/** Jupyter's on-disk form of text: a list of lines, each keeping its newline. */
function lines(text: string): string[] {
  return text.split(/(?<=\n)/).filter((l) => l !== '');
}

function text(value: string): string[] {
  return lines(redactSecrets(value));
}

function output(o: NotebookOutput, executionCount: number | null): NbOutput {
  switch (o.output_type) {
    case 'stream':
      return { output_type: 'stream', name: o.name, text: text(o.text) };
    case 'error':
      return {
        output_type: 'error',
        ename: o.ename,
        evalue: redactSecrets(o.evalue),
        traceback: o.traceback.map(redactSecrets),
      };
    case 'execute_result':
    case 'display_data': {
      const data: Record<string, unknown> = {};
      if (o.data['text/plain'] !== undefined) data['text/plain'] = text(o.data['text/plain']);
      if (o.data['text/html'] !== undefined) data['text/html'] = text(o.data['text/html']);
      if (o.data['image/png'] !== undefined) data['image/png'] = o.data['image/png'];
      return o.output_type === 'execute_result'
        ? {
            output_type: 'execute_result',
            execution_count: executionCount,
            data,
            metadata: o.metadata,
          }
        : { output_type: 'display_data', data, metadata: o.metadata };
    }
  }
}

function codeCell(id: string, cell: CellRecord): NbCell {
  return {
    id,
    cell_type: 'code',
    metadata: {
      localds: {
        status: cell.status,
        duration_ms: cell.durationMs,
        turn: cell.turn,
        // Under the `tools` protocol each code cell is one run_python call.
        ...(cell.toolCallId ? { tool_call: { id: cell.toolCallId, name: 'run_python' } } : {}),
      },
    },
    source: text(cell.code),
    outputs: cell.outputs.map((o) => output(o, cell.executionCount)),
    execution_count: cell.executionCount,
  };
}

/** A tool call that ran nothing, shown as what the model sent and what it was told. */
function invalidCallCell(
  id: string,
  part: Extract<AgentRunResult['turns'][number]['parts'][number], { kind: 'invalid_call' }>,
): NbCell {
  const source =
    `**Tool call not run** (\`${part.name || '(no name)'}\`, id \`${part.callId}\`): ${part.error}\n\n` +
    `Arguments as sent:\n\n\`\`\`\`text\n${part.arguments}\n\`\`\`\`\n`;
  return {
    id,
    cell_type: 'markdown',
    metadata: { localds: { invalid_tool_call: { id: part.callId, name: part.name } } },
    source: text(source),
  };
}

/**
 * nbformat 4.5 for a run. Cells skipped after an earlier failure are left out (they never ran, and a
 * re-execution of the notebook must run what the run ran); their count is in `metadata.localds`.
 */
export function buildNotebook(result: AgentRunResult, meta: NotebookMeta = {}): NotebookV4 {
  const cells: NbCell[] = [];
  const nextId = () => `cell-${cells.length + 1}`;
  if (result.model.scripted) {
    cells.push({ id: nextId(), cell_type: 'markdown', metadata: {}, source: lines(SCRIPTED_NOTE) });
  }
  for (const turn of result.turns) {
    for (const part of turn.parts) {
      if (part.kind === 'prose') {
        cells.push({ id: nextId(), cell_type: 'markdown', metadata: {}, source: text(part.text) });
        continue;
      }
      if (part.kind === 'invalid_call') {
        cells.push(invalidCallCell(nextId(), part));
        continue;
      }
      const cell = result.cells[part.cell];
      if (cell && cell.status !== 'skipped') cells.push(codeCell(nextId(), cell));
    }
  }
  const notebook: NotebookV4 = {
    cells,
    metadata: {
      kernelspec: { display_name: 'Python 3 (ipykernel)', language: 'python', name: 'python3' },
      language_info: {
        codemirror_mode: { name: 'ipython', version: 3 },
        file_extension: '.py',
        mimetype: 'text/x-python',
        name: 'python',
        nbconvert_exporter: 'python',
        pygments_lexer: 'ipython3',
        ...(meta.pythonVersion ? { version: meta.pythonVersion } : {}),
      },
      localds: {
        ...(meta.runId ? { run_id: meta.runId } : {}),
        model: { id: result.model.id, kind: result.model.kind },
        scripted: result.model.scripted,
        benchmark: result.benchmark,
        isolation: result.isolation,
        end_reason: result.endReason,
        protocol: result.protocol,
        skipped_cells: result.cells.filter((c) => c.status === 'skipped').length,
      },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return validateNotebook(notebook);
}

/** The notebook file's text: one-space indent as Jupyter writes it, newline-terminated. */
export function serializeNotebook(notebook: NotebookV4): string {
  return `${JSON.stringify(notebook, null, 1)}\n`;
}
