/**
 * Ratings from blind pairwise votes, per prompt and overall: Bradley–Terry strengths (see
 * bradley-terry.ts for the model and its prior) on an Elo-like scale, 1000 + 400·log10(odds), with
 * the mean rating of each group exactly 1000, a seeded percentile-bootstrap interval over the group's
 * votes and the votes behind each rating.
 *
 * What is fitted: a vote between two different models that says left, right or tie. "Both bad" votes
 * say nothing about which model is better: they are counted (per model and per group) and not fitted.
 * A vote between two runs of one model carries no information about ratings either: counted, not fitted.
 * Models with no path of fitted votes between them are separate groups, never ranked together; a model
 * with no fitted vote at all is listed as unrated, with the reason.
 */
import {
  BOOTSTRAP_DEFAULTS,
  MIN_BOOTSTRAP_N,
  percentileLinear,
  type Interval,
} from '../bootstrap.js';
import { RATING_POINTS_PER_LOGIT, fitStrengths, type PairCounts } from './bradley-terry.js';
import { connectedComponents } from './comparison-graph.js';
import { forEachResample } from './resample.js';
import { checkVotesAgree, type Vote } from './vote.js';

/** The rating of a group's average model. */
export const RATING_ANCHOR = 1000;

export interface RatingOptions {
  /** Seed of the bootstrap draws (default 1): the same votes always give the same intervals. */
  seed?: number;
  /** Bootstrap resamples (default 2000); 0 fits the point ratings only. */
  bootstrap?: number;
  /** Confidence level of the intervals (default 0.95). */
  level?: number;
}

export interface ModelVoteCounts {
  /** Votes in the fit: wins + losses + ties. */
  fitted: number;
  wins: number;
  losses: number;
  ties: number;
  /** "Both bad" votes the model was in (not fitted). */
  bothBad: number;
  /** Votes between two runs of this model (not fitted). */
  sameModel: number;
}

export interface ModelRating {
  model: string;
  /** 1 = best of its group; models within 1e-6 points share a rank. */
  rank: number;
  rating: number;
  interval: Interval;
  votes: ModelVoteCounts;
}

export interface RatingGroup {
  /** Best first. */
  models: ModelRating[];
  votes: { fitted: number; bothBad: number };
}

export interface RatingFit {
  /** Most fitted votes first. Ratings are comparable only within a group. */
  groups: RatingGroup[];
  unrated: { model: string; votes: ModelVoteCounts; reason: string }[];
  votes: { total: number; fitted: number; bothBad: number; sameModel: number };
}

export interface Ratings {
  overall: RatingFit;
  /** One fit per prompt, by benchmark id. */
  benchmarks: ({ benchmark: string } & RatingFit)[];
  bootstrap: { resamples: number; seed: number; level: number };
}

const RANK_TOLERANCE = 1e-6;
/** Resampled strengths (logits) closer than this are the same fit, up to convergence. */
const DEGENERATE_SPREAD = 1e-9;

function emptyCounts(): ModelVoteCounts {
  return { fitted: 0, wins: 0, losses: 0, ties: 0, bothBad: 0, sameModel: 0 };
}

/** A fitted vote inside one group: the pair it adds to and the credit it gives the pair's first model. */
interface GroupVote {
  pair: number;
  creditI: number;
}

function fitGroup(
  models: string[],
  votes: readonly Vote[],
  counts: Map<string, ModelVoteCounts>,
  options: Required<RatingOptions>,
): RatingGroup {
  const index = new Map(models.map((m, k) => [m, k]));
  const pairIndex = new Map<string, number>();
  const pairs: PairCounts[] = [];
  const groupVotes: GroupVote[] = [];
  let bothBad = 0;
  for (const vote of votes) {
    const a = index.get(vote.left.model);
    const b = index.get(vote.right.model);
    if (a === undefined || b === undefined || a === b) continue;
    if (vote.outcome === 'both_bad') {
      bothBad++;
      continue;
    }
    const [i, j] = a < b ? [a, b] : [b, a];
    const key = `${i},${j}`;
    let pair = pairIndex.get(key);
    if (pair === undefined) {
      pair = pairs.length;
      pairIndex.set(key, pair);
      pairs.push({ i, j, winsI: 0, n: 0 });
    }
    const leftCredit = vote.outcome === 'left' ? 1 : vote.outcome === 'tie' ? 0.5 : 0;
    const creditI = i === a ? leftCredit : 1 - leftCredit;
    pairs[pair]!.winsI += creditI;
    pairs[pair]!.n += 1;
    groupVotes.push({ pair, creditI });
  }

  const theta = fitStrengths(models.length, pairs);
  const toRating = (t: number) => RATING_ANCHOR + RATING_POINTS_PER_LOGIT * t;
  const intervals = bootstrapIntervals(models.length, pairs, groupVotes, theta, options).map(
    (interval) =>
      interval.reason === null
        ? { ...interval, low: toRating(interval.low), high: toRating(interval.high) }
        : interval,
  );

  const ratings = models.map((model, k) => ({
    model,
    rating: toRating(theta[k]!),
    interval: intervals[k]!,
    votes: counts.get(model)!,
  }));
  ratings.sort((x, y) => y.rating - x.rating || (x.model < y.model ? -1 : 1));
  return {
    models: ratings.map((r) => ({
      model: r.model,
      rank: 1 + ratings.filter((other) => other.rating > r.rating + RANK_TOLERANCE).length,
      rating: r.rating,
      interval: r.interval,
      votes: r.votes,
    })),
    votes: { fitted: groupVotes.length, bothBad },
  };
}

/** Percentile intervals of θ (logits) from refitting resamples of the group's fitted votes. */
function bootstrapIntervals(
  size: number,
  pairs: readonly PairCounts[],
  groupVotes: readonly GroupVote[],
  theta: Float64Array,
  { bootstrap, seed, level }: Required<RatingOptions>,
): Interval[] {
  const n = groupVotes.length;
  if (bootstrap === 0) {
    return Array.from({ length: size }, () => ({
      low: null,
      high: null,
      level,
      reason: 'no bootstrap requested',
    }));
  }
  if (n < MIN_BOOTSTRAP_N) {
    const reason = `n too small: ${n} vote${n === 1 ? '' : 's'} in the group, an interval needs at least ${MIN_BOOTSTRAP_N}`;
    return Array.from({ length: size }, () => ({ low: null, high: null, level, reason }));
  }
  // draws[k][r]: model k's strength in resample r.
  const draws = Array.from({ length: size }, () => new Float64Array(bootstrap));
  const winsI = new Float64Array(pairs.length);
  const totals = new Float64Array(pairs.length);
  forEachResample(n, bootstrap, seed, (indices, r) => {
    winsI.fill(0);
    totals.fill(0);
    for (const v of indices) {
      const { pair, creditI } = groupVotes[v]!;
      winsI[pair]! += creditI;
      totals[pair]! += 1;
    }
    const resampled: PairCounts[] = [];
    pairs.forEach(({ i, j }, p) => {
      if (totals[p]! > 0) resampled.push({ i, j, winsI: winsI[p]!, n: totals[p]! });
    });
    // A model drawn into no vote of this resample keeps the prior (θ = 0); the resampled graph may
    // also fall apart, and each piece then has mean 0 — both widen the interval, as they should.
    const fitted = fitStrengths(size, resampled, theta);
    for (let k = 0; k < size; k++) draws[k]![r] = fitted[k]!;
  });
  const tail = (100 - 100 * level) / 2;
  return draws.map((values): Interval => {
    values.sort();
    // Votes that all agree (say, ten wins of A over B and nothing else) resample to themselves: the
    // bootstrap cannot see their uncertainty, and a zero-width interval would claim there is none.
    if (values[values.length - 1]! - values[0]! < DEGENERATE_SPREAD) {
      return {
        low: null,
        high: null,
        level,
        reason:
          'every resample gave the same rating: the votes all agree, so a bootstrap over them cannot show their uncertainty',
      };
    }
    return {
      low: percentileLinear(values, tail),
      high: percentileLinear(values, 100 - tail),
      level,
      reason: null,
    };
  });
}

/** Ratings from one set of votes (all of one prompt, or all prompts pooled). */
export function fitRatingsOfVotes(votes: readonly Vote[], options: RatingOptions = {}): RatingFit {
  const settings = resolveOptions(options);
  const counts = new Map<string, ModelVoteCounts>();
  const countsOf = (model: string) => {
    let c = counts.get(model);
    if (!c) counts.set(model, (c = emptyCounts()));
    return c;
  };
  const edges: [string, string][] = [];
  let sameModel = 0;
  let bothBad = 0;
  for (const vote of votes) {
    const left = countsOf(vote.left.model);
    const right = countsOf(vote.right.model);
    if (vote.left.model === vote.right.model) {
      left.sameModel++;
      sameModel++;
    } else if (vote.outcome === 'both_bad') {
      left.bothBad++;
      right.bothBad++;
      bothBad++;
    } else {
      edges.push([vote.left.model, vote.right.model]);
      for (const side of [left, right]) side.fitted++;
      if (vote.outcome === 'tie') {
        left.ties++;
        right.ties++;
      } else {
        const [winner, loser] = vote.outcome === 'left' ? [left, right] : [right, left];
        winner.wins++;
        loser.losses++;
      }
    }
  }
  const rated = [...counts.keys()].filter((m) => counts.get(m)!.fitted > 0);
  const groups = connectedComponents(rated, edges).map((models) =>
    fitGroup(models, votes, counts, settings),
  );
  groups.sort((x, y) => y.votes.fitted - x.votes.fitted);
  const unrated = [...counts.entries()]
    .filter(([, c]) => c.fitted === 0)
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([model, c]) => ({
      model,
      votes: c,
      reason: 'no vote between it and another model that says left, right or tie',
    }));
  return {
    groups,
    unrated,
    votes: { total: votes.length, fitted: edges.length, bothBad, sameModel },
  };
}

function resolveOptions(options: RatingOptions): Required<RatingOptions> {
  const seed = options.seed ?? BOOTSTRAP_DEFAULTS.seed;
  const bootstrap = options.bootstrap ?? BOOTSTRAP_DEFAULTS.resamples;
  const level = options.level ?? BOOTSTRAP_DEFAULTS.level;
  if (!Number.isInteger(seed))
    throw new RangeError(`ratings: seed must be an integer, got ${seed}`);
  if (!Number.isInteger(bootstrap) || bootstrap < 0)
    throw new RangeError(
      `ratings: bootstrap must be a whole number of resamples, got ${bootstrap}`,
    );
  if (!(level > 0 && level < 1))
    throw new RangeError(`ratings: level must be in (0, 1), got ${level}`);
  return { seed, bootstrap, level };
}

/** Ratings per prompt (by benchmark id) and over all prompts pooled. */
export function fitRatings(votes: readonly Vote[], options: RatingOptions = {}): Ratings {
  const settings = resolveOptions(options);
  checkVotesAgree(votes);
  const byBenchmark = new Map<string, Vote[]>();
  for (const vote of votes) {
    const list = byBenchmark.get(vote.benchmark) ?? [];
    list.push(vote);
    byBenchmark.set(vote.benchmark, list);
  }
  return {
    overall: fitRatingsOfVotes(votes, settings),
    benchmarks: [...byBenchmark.keys()].sort().map((benchmark) => ({
      benchmark,
      ...fitRatingsOfVotes(byBenchmark.get(benchmark)!, settings),
    })),
    bootstrap: { resamples: settings.bootstrap, seed: settings.seed, level: settings.level },
  };
}
