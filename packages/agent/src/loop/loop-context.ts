// What the loop's steps share: the run's collaborators, its state and budget, and the event sink.
import type { ChatModel, SamplingSettings } from '../model/types.js';
import type { PythonSandbox } from '../sandbox/types.js';
import type { RunBudget } from './budget.js';
import type { OutputBudget } from './output-budget.js';
import type { TurnProtocol } from './protocol.js';
import type { RunState } from './run-state.js';
import type { AgentBenchmark, AgentEvent, AgentRunResult } from './types.js';

export interface LoopContext {
  readonly model: ChatModel;
  readonly sandbox: PythonSandbox;
  readonly benchmark: AgentBenchmark;
  readonly sampling: SamplingSettings;
  readonly protocol: TurnProtocol;
  readonly protocolChoice: AgentRunResult['protocolChoice'];
  readonly state: RunState;
  readonly budget: RunBudget;
  /** The run-wide cap on recorded cell outputs. */
  readonly outputBudget: OutputBudget;
  /** Characters of each output shown to the model. */
  readonly maxOutputChars: number;
  readonly now: () => number;
  /** Never throws: a listener's bug must not end or lose the run. */
  readonly emit: (event: AgentEvent) => void;
}
