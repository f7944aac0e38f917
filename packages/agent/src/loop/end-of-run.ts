// How a run ends: every way out of the loop is an EndOfRun thrown by the step that decided it,
// carrying the reason run.json records, a sentence for the user, and whose failure it was.
import type { AgentEvent, EndReason } from './types.js';

export type ErrorSource = Extract<AgentEvent, { type: 'error' }>['source'];

/** End reasons that are failures, and whose by default: reported as an `error` event before `done`. */
const ERROR_SOURCES: Partial<Record<EndReason, ErrorSource>> = {
  model_error: 'model',
  sandbox_error: 'sandbox',
  budget_turns: 'budget',
  budget_tokens: 'budget',
  budget_wall_time: 'budget',
};

export class EndOfRun extends Error {
  constructor(
    readonly reason: EndReason,
    readonly detail: string | null,
    /**
     * Whose failure, when the reason alone does not say: an `environment_error` is the model
     * server's or the sandbox's.
     */
    private readonly from?: ErrorSource,
  ) {
    super(detail ?? reason);
  }

  /** The `error` event to emit before `done`, if this end is a failure. */
  get source(): ErrorSource | undefined {
    return this.from ?? ERROR_SOURCES[this.reason];
  }
}

export function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
