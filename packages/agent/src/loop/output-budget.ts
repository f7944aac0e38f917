import type { NotebookOutput } from '../sandbox/types.js';

/** Default for `RunAgentOptions.maxRecordedOutputBytes`: what a run may add to its notebook. */
export const DEFAULT_RECORDED_OUTPUT_BYTES = 32 * 1024 * 1024;

/**
 * The sandboxes cap each cell's output; this caps the run's, so a model that displays 16 MiB in
 * every cell cannot grow the notebook (and run.json, the page's IndexedDB) without bound. Once
 * the budget is spent a cell keeps its error output (already capped, and what the model needs to
 * see) and a note in place of the rest.
 */
export class OutputBudget {
  private used = 0;

  constructor(private readonly limit: number) {}

  record(outputs: NotebookOutput[]): NotebookOutput[] {
    const size = outputs.reduce((sum, o) => sum + JSON.stringify(o).length, 0);
    if (this.used + size <= this.limit) {
      this.used += size;
      return outputs;
    }
    const kept = outputs.filter((o) => o.output_type === 'error');
    const note: NotebookOutput = {
      output_type: 'stream',
      name: 'stderr',
      text: `[localds] ${size} bytes of output not recorded: the run's ${this.limit}-byte output budget is spent\n`,
    };
    this.used += kept.reduce((sum, o) => sum + JSON.stringify(o).length, 0);
    return [...kept, note];
  }
}
