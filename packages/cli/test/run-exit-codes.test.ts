import { EndReasonSchema } from '@localds/scorer';
import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeFor, worstExitCode } from '../src/run/exit-codes.js';

describe('localds run exit codes', () => {
  it('maps every end reason: finished 0, model_error 3, environment 4, aborted by its signal', () => {
    const codes = Object.fromEntries(
      EndReasonSchema.options.map((reason) => [reason, exitCodeFor(reason, null)]),
    );
    expect(codes).toEqual({
      done: 0,
      no_code_outputs_present: 0,
      model_exhausted: 0,
      budget_turns: 0,
      budget_tokens: 0,
      budget_wall_time: 0,
      aborted: 130,
      model_error: 3,
      sandbox_error: 4,
      harness_error: 4,
      environment_error: 4,
      interrupted: 4,
    });
    expect(exitCodeFor('aborted', 'SIGTERM')).toBe(143);
    expect(exitCodeFor('aborted', 'SIGHUP')).toBe(129);
  });

  it('with several trials the worst class wins', () => {
    expect(worstExitCode([])).toBe(EXIT.finished);
    expect(worstExitCode([0, 3, 0])).toBe(3);
    expect(worstExitCode([3, 4, 0])).toBe(4);
    expect(worstExitCode([4, 143])).toBe(143);
  });
});
