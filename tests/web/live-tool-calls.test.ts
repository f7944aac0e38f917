import { describe, expect, it } from 'vitest';
import {
  toolCallCode,
  withToolCallPiece,
  type LiveTurn,
} from '../../apps/web/src/runs/live-store.js';

// The live view's tool calls: pieces assembled by position, and the code shown as the cell it is
// while its JSON arguments are still arriving.
describe('live view tool calls', () => {
  it('assembles streamed pieces by index, name first, arguments in pieces', () => {
    let turn: LiveTurn = { turn: 1, answer: '', reasoning: '' };
    for (const piece of [
      { index: 0, name: 'run_python', arguments: '' },
      { index: 1, name: 'run_python', arguments: '{"code": "b"}' },
      { index: 0, arguments: '{"code": ' },
      { index: 0, arguments: '"a = 1"}' },
    ]) {
      turn = withToolCallPiece(turn, piece);
    }
    expect(turn.toolCalls).toEqual([
      { index: 0, name: 'run_python', arguments: '{"code": "a = 1"}' },
      { index: 1, name: 'run_python', arguments: '{"code": "b"}' },
    ]);
  });

  it('shows the code decoded as far as it has arrived', () => {
    expect(toolCallCode('{"code": "import json\\nprint(1)"}')).toBe('import json\nprint(1)');
    expect(toolCallCode('{"code": "import json\\nprint(')).toBe('import json\nprint(');
    // An escape cut in half is left out until it is whole.
    expect(toolCallCode('{"code": "a\\')).toBe('a');
    expect(toolCallCode('{"code": "x = \\"')).toBe('x = ');
    expect(toolCallCode('{"cod')).toBe('{"cod');
    expect(toolCallCode('{"source": "x"}')).toBe('{"source": "x"}');
  });
});
