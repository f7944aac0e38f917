// How the model's answers become cells and how the cells' results go back: a protocol is a small
// strategy the loop is given, so a second one (native tool calls) is a new object, not branches
// inside the loop. `fenced` is the only one today: ```python blocks in plain text.
import { parseTurn, type ParsedTurn } from './parse.js';
import { noCodeMessage, resultsMessage } from './results.js';
import type { CellRecord } from './types.js';

export interface TurnProtocol {
  readonly name: 'fenced';
  /** What a turn shows and what it runs, in order, and whether the model said it is done. */
  parse(answer: string): ParsedTurn;
  /** The user message answering the cells a turn ran, each output cut to `maxChars`. */
  results(cells: CellRecord[], maxChars: number): string;
  /** The user message answering a turn that ran nothing while deliverables are missing. */
  noCode(missing: string[], turn: ParsedTurn): string;
}

export const fencedProtocol: TurnProtocol = {
  name: 'fenced',
  parse: parseTurn,
  results: resultsMessage,
  noCode: (missing, turn) => noCodeMessage(missing, turn.otherFences),
};
