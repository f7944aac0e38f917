// The run so far, rebuilt from the loop's event stream, so a run folder can be written while the run is
// still going (after every cell and turn). If the process is killed, what is on disk is a readable
// partial run marked `interrupted`: its cells, their outputs and trace, the model's answers so far.
// Built from events rather than the loop's internals so the loop stays free to change.
import type {
  AgentEvent,
  AgentRunResult,
  CellRecord,
  TranscriptEntry,
  TurnRecord,
} from '../loop/types.js';
import type { ChatModel, SamplingSettings } from '../model/types.js';
import type { IsolationLevel } from '../sandbox/types.js';

export const INTERRUPTED_DETAIL =
  'the run was interrupted before it finished (the harness was killed); this is what it had recorded after its last cell';

export interface ProgressBase {
  model: ChatModel;
  benchmark: { id: string; version: string };
  isolation: IsolationLevel;
  sampling: SamplingSettings;
  /** The system and user prompts, as the loop will send them. */
  prompts: { system: string; user: string };
  startedAt: Date;
}

export class RunProgress {
  private readonly turns: TurnRecord[] = [];
  private readonly cells: CellRecord[] = [];
  private readonly answers = new Map<number, { text: string; reasoning: string; at: string }>();
  private promptTokens = 0;
  private completionTokens = 0;
  /** Until the loop says which protocol it chose (its first event), the fenced default. */
  private protocol: Pick<AgentRunResult, 'protocol' | 'protocolChoice'> = {
    protocol: 'fenced',
    protocolChoice: { requested: 'fenced', reason: 'the run had not chosen its protocol yet' },
  };

  constructor(private readonly base: ProgressBase) {}

  /** Takes one event; true when the run folder should be rewritten (a cell or a turn finished). */
  observe(event: AgentEvent): boolean {
    switch (event.type) {
      case 'protocol':
        this.protocol = {
          protocol: event.protocol,
          protocolChoice: { requested: event.requested, reason: event.reason },
        };
        return false;
      case 'turn_started':
        this.turns.push({ turn: event.turn, parts: [] });
        this.answers.set(event.turn, { text: '', reasoning: '', at: new Date().toISOString() });
        return false;
      case 'token': {
        const answer = this.answers.get(event.turn);
        if (answer && event.channel === 'answer') answer.text += event.text;
        else if (answer) answer.reasoning += event.text;
        return false;
      }
      case 'turn_finished':
        this.promptTokens += event.usage?.promptTokens ?? 0;
        this.completionTokens += event.usage?.completionTokens ?? 0;
        return true;
      case 'cell_finished':
        this.cells[event.cell.index] = event.cell;
        this.turns
          .find((t) => t.turn === event.turn)
          ?.parts.push({ kind: 'cell', cell: event.cell.index });
        return true;
      default:
        return false;
    }
  }

  /**
   * The run so far as the loop's result, ended `interrupted` (what a kill from now on would leave); a
   * copy, unaffected by later events.
   */
  result(): AgentRunResult {
    const { base } = this;
    const prompt = (role: 'system' | 'user', content: string): TranscriptEntry => ({
      kind: role === 'system' ? 'system' : 'task',
      role,
      content,
      reasoning: null,
      startedAt: base.startedAt.toISOString(),
      durationMs: null,
      usage: null,
      sent: true,
    });
    const assistant = [...this.answers.values()].map((a): TranscriptEntry => ({
      kind: 'assistant',
      role: 'assistant',
      content: a.text,
      reasoning: a.reasoning || null,
      startedAt: a.at,
      durationMs: null,
      usage: null,
      sent: true,
    }));
    const cells = this.cells.filter(Boolean);
    return {
      model: { id: base.model.id, kind: base.model.kind, scripted: base.model.scripted },
      benchmark: base.benchmark,
      isolation: base.isolation,
      sampling: base.sampling,
      transcript: [
        prompt('system', base.prompts.system),
        prompt('user', base.prompts.user),
        ...assistant,
      ],
      turns: this.turns.map((t) => ({ ...t, parts: [...t.parts] })),
      cells,
      ...this.protocol,
      endReason: 'interrupted',
      endDetail: INTERRUPTED_DETAIL,
      totals: {
        turns: this.turns.length,
        promptTokens: this.promptTokens,
        completionTokens: this.completionTokens,
        tokensEstimated: false,
        modelMs: 0,
        executionMs: cells.reduce((sum, c) => sum + c.durationMs, 0),
        startedAt: base.startedAt.toISOString(),
        finishedAt: '',
        durationMs: 0,
      },
    };
  }
}
