// Arena ratings: fitting 10,000 votes over 20 models (five prompts, so six fits: each prompt and all
// pooled), point ratings alone and with 2,000 bootstrap resamples, against parsing the same votes
// with the vote schema (what any caller does first) measured in the same run.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fitRatings, parseVotes } from '@localds/scorer/score-stats';

const REPEATS = 3;
const MODELS = 20;
const VOTES = 10_000;
const PROMPTS = ['cherry-blossoms', 'aquarium', 'fireworks', 'solar-system', 'clock'];

function best(fn) {
  let fastest = Infinity;
  let value;
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    value = fn();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return { value, ms: fastest };
}

/** Votes drawn from known strengths with a fixed-seed generator (bench data only: not statistics). */
function syntheticVotes() {
  let state = 20261206;
  const random = () => {
    // Park–Miller: deterministic and dependency-free, which is all bench data needs.
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
  const strength = Array.from({ length: MODELS }, (_, k) => (k - MODELS / 2) / 4);
  const votes = [];
  for (let v = 0; v < VOTES; v++) {
    const i = Math.floor(random() * MODELS);
    const j = (i + 1 + Math.floor(random() * (MODELS - 1))) % MODELS;
    const u = random();
    const p = 1 / (1 + Math.exp(strength[j] - strength[i]));
    const outcome = u < 0.03 ? 'both_bad' : u < 0.13 ? 'tie' : random() < p ? 'left' : 'right';
    votes.push({
      benchmark: PROMPTS[v % PROMPTS.length],
      left: { run_id: `run-${v}-l`, model: `model-${i}` },
      right: { run_id: `run-${v}-r`, model: `model-${j}` },
      outcome,
      voted_at: new Date(Date.UTC(2026, 11, 6) + v * 1000).toISOString(),
    });
  }
  return votes;
}

export const ratingsBench = {
  title: 'Arena ratings: 10,000 votes over 20 models (against parsing the votes)',
  async run() {
    const raw = syntheticVotes();
    const parse = best(() => parseVotes(raw));
    const votes = parse.value;
    const point = best(() => fitRatings(votes, { bootstrap: 0 }));
    const full = best(() => fitRatings(votes, { bootstrap: 2000, seed: 1 }));
    const ms = (x) => `${x.toFixed(0)} ms`;
    const groups = full.value.overall.groups;
    return [
      `votes: ${votes.length}, models: ${groups[0].models.length} in ${groups.length} group(s), prompts: ${full.value.benchmarks.length}, best of ${REPEATS}`,
      `parse votes ${ms(parse.ms)}   point ratings ${ms(point.ms)} (${(point.ms / parse.ms).toFixed(1)}x)   with 2,000 resamples ${ms(full.ms)} (${(full.ms / parse.ms).toFixed(1)}x)`,
      `load average while measuring: ${loadavg()[0].toFixed(1)}`,
    ];
  },
};
