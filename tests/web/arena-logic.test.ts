import { describe, expect, it } from 'vitest';
import type { Contestant } from '../../apps/web/src/arena/contestant.js';
import { pickPair } from '../../apps/web/src/arena/pick-pair.js';
import { parseVotesFile, votesFileText } from '../../apps/web/src/arena/votes-file.js';
import { pairKey, type VoteRecord } from '../../apps/web/src/storage/vote-record.js';

const run = (runId: string, model: string, scripted = false): Contestant => ({
  runId,
  model,
  scripted,
  html: `<p>${runId}</p>`,
});

describe('arena pair picking', () => {
  it('offers only unvoted pairs of different models, each side at random', () => {
    const runs = [run('a1', 'alpha'), run('a2', 'alpha'), run('b1', 'beta')];
    const voted = new Set([pairKey('a1', 'b1')]);
    for (const r of [0, 0.49, 0.51, 0.99]) {
      const pick = pickPair(runs, voted, () => r);
      expect(pick.ok && pick.remaining).toBe(1);
      if (!pick.ok) continue;
      expect(new Set([pick.left.runId, pick.right.runId])).toEqual(new Set(['a2', 'b1']));
    }
    expect(pickPair(runs, new Set([...voted, pairKey('b1', 'a2')]))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/voted on every pair/),
    });
  });

  it('a scripted replay is not the live model of the same name, and one model cannot be paired', () => {
    expect(pickPair([run('x', 'alpha'), run('y', 'alpha')], new Set())).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/all|Every run of this prompt is by alpha/),
    });
    expect(pickPair([run('x', 'alpha'), run('y', 'alpha', true)], new Set()).ok).toBe(true);
  });
});

describe('votes.json', () => {
  const vote: VoteRecord = {
    id: 'v1',
    createdAt: '2026-12-06T12:00:00Z',
    benchmark: 'cherry-blossoms',
    left: { run_id: 'a1', model: 'alpha' },
    right: { run_id: 'b1', model: 'beta' },
    outcome: 'tie',
    voted_at: '2026-12-06T12:00:00Z',
  };

  it('round-trips and names the first bad vote', () => {
    expect(parseVotesFile(votesFileText([vote]))).toEqual([vote]);
    expect(() => parseVotesFile('{')).toThrow(/^it is not JSON/);
    expect(() => parseVotesFile('[]')).toThrow(/not a localds votes file/);
    const bad = { kind: 'localds-votes', v: 1, votes: [vote, { ...vote, id: '' }] };
    expect(() => parseVotesFile(JSON.stringify(bad))).toThrow(/^invalid vote 1 \(id\)/);
    // The scorer's check: one run id cannot be two models.
    const mixed = { ...vote, id: 'v2', left: { run_id: 'a1', model: 'gamma' } };
    expect(() => parseVotesFile(votesFileText([vote, mixed]))).toThrow(/run a1 is gamma/);
  });
});
