import { describe, expect, it } from 'vitest';
import { calibrated, MESSAGE_OVERHEAD_TOKENS, tokenEstimator } from '../src/loop/tokens.js';

describe('token estimation', () => {
  it('counts characters at 3.5 per token, rounded up, plus framing per message', () => {
    const est = tokenEstimator();
    expect(est.text('abcdefg')).toBe(2);
    expect(est.text('abcdefgh')).toBe(3);
    expect(
      est.messages([
        { role: 'system', content: 'abcdefg' },
        { role: 'user', content: '' },
      ]),
    ).toBe(2 + 2 * MESSAGE_OVERHEAD_TOKENS);
  });

  it('rejects a ratio that is not positive', () => {
    expect(() => tokenEstimator(0)).toThrow('charsPerToken must be positive, got 0');
  });

  it('tightens to a measured prompt with a 10% margin, and never loosens', () => {
    const messages = [{ role: 'user' as const, content: 'x'.repeat(300) }];
    // The tokenizer saw 300 characters as 100 tokens (+ framing): 3 chars/token, 2.7 with margin.
    const tighter = calibrated(tokenEstimator(), messages, 100 + MESSAGE_OVERHEAD_TOKENS);
    expect(tighter.charsPerToken).toBeCloseTo(2.7, 10);
    // A measurement of 6 chars/token would loosen the estimate: ignored.
    const base = tokenEstimator();
    expect(calibrated(base, messages, 50 + MESSAGE_OVERHEAD_TOKENS)).toBe(base);
    // Implausible measurements are clamped.
    expect(calibrated(base, messages, 10_000).charsPerToken).toBe(1.5);
  });
});
