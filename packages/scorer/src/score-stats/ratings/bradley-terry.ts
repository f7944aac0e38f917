/**
 * Bradley–Terry strengths by penalised maximum likelihood, for one connected group of models.
 *
 * Model: P(i preferred to j) = σ(θᵢ − θⱼ), σ the logistic function; a tie counts as half a win each way.
 * Prior: each θᵢ ~ Normal(0, PRIOR_SD²), independently. Without it a model that won every vote has
 * no maximum (θ → ∞); with it the log-posterior is strictly concave, so there is exactly one finite
 * maximum. Because the likelihood only sees differences θᵢ − θⱼ, at that maximum the prior's gradient
 * sums to zero over the group, i.e. the strengths have mean exactly 0: the prior also anchors the
 * scale, and a group's mean rating is 1000 without any shifting. The prior is weak: SD 400 rating
 * points (odds of 10:1), so one win of a model over another puts it 291 points ahead, ten straight
 * wins 592 (an unbounded maximum likelihood would put them infinitely apart); with a few dozen
 * votes per model the data dominate.
 *
 * Maximised by Newton's method with a backtracking line search (the Hessian is minus a weighted graph
 * Laplacian minus the prior's precision: negative definite, solved by Cholesky).
 */
import { solveSymmetricPositiveDefinite } from './spd-solve.js';

/** Rating points per unit of θ: 400·log10(odds) = (400 / ln 10)·θ. */
export const RATING_POINTS_PER_LOGIT = 400 / Math.LN10;

/** The prior's standard deviation, in rating points. */
export const PRIOR_SD_POINTS = 400;

/** The prior's precision on θ (1 / SD² in logits). */
export const PRIOR_PRECISION = (RATING_POINTS_PER_LOGIT / PRIOR_SD_POINTS) ** 2;

/** Votes between two models of the group, i < j, aggregated: `winsI` counts ties as ½. */
export interface PairCounts {
  i: number;
  j: number;
  /** Votes for i, ties counting ½. */
  winsI: number;
  /** All fitted votes between i and j. */
  n: number;
}

const MAX_ITERATIONS = 200;
/** Converged when no strength's gradient exceeds this (far below what 1e-6 rating points needs). */
const GRADIENT_TOLERANCE = 1e-11;
/** Newton steps shorter than this (logits) are taken without a line search. */
const NEWTON_REGION = 1e-4;
/** A Newton step this short (logits; 2e-7 rating points) is the last one. */
const STEP_TOLERANCE = 1e-9;

function maxAbs(values: Float64Array): number {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  return max;
}

function logSigmoid(x: number): number {
  // Stable on both tails: log σ(x) = −log(1 + e^−x).
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** The log-posterior (up to a constant) at θ. */
export function logPosterior(theta: ArrayLike<number>, pairs: readonly PairCounts[]): number {
  let value = 0;
  for (const { i, j, winsI, n } of pairs) {
    const d = theta[i]! - theta[j]!;
    value += winsI * logSigmoid(d) + (n - winsI) * logSigmoid(-d);
  }
  for (let k = 0; k < theta.length; k++) value -= 0.5 * PRIOR_PRECISION * theta[k]! ** 2;
  return value;
}

/**
 * The strengths θ (logits, mean 0) of `size` models that maximise the log-posterior; `start` is an
 * initial guess (e.g. the point estimate, when fitting a bootstrap resample).
 */
export function fitStrengths(
  size: number,
  pairs: readonly PairCounts[],
  start?: ArrayLike<number>,
): Float64Array {
  const theta = new Float64Array(size);
  if (start) theta.set(Array.from(start));
  let current = logPosterior(theta, pairs);
  const gradient = new Float64Array(size);
  const information = new Float64Array(size * size);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    // Negative Hessian: the Laplacian of the pair weights n·p·(1 − p), plus the prior's precision.
    information.fill(0);
    for (let k = 0; k < size; k++) {
      gradient[k] = -PRIOR_PRECISION * theta[k]!;
      information[k * size + k] = PRIOR_PRECISION;
    }
    for (const { i, j, winsI, n } of pairs) {
      const p = sigmoid(theta[i]! - theta[j]!);
      const residual = winsI - n * p;
      gradient[i]! += residual;
      gradient[j]! -= residual;
      const weight = n * p * (1 - p);
      information[i * size + i]! += weight;
      information[j * size + j]! += weight;
      information[i * size + j]! -= weight;
      information[j * size + i]! -= weight;
    }
    if (maxAbs(gradient) < GRADIENT_TOLERANCE) return theta;
    const step = solveSymmetricPositiveDefinite(information, gradient, size);
    // Near the maximum, take full Newton steps: they converge quadratically there, and the
    // posterior's change is below its own rounding, so a line search could not tell better from
    // worse. After a step this small the error left is of the order of its square.
    const length = maxAbs(step);
    if (length < NEWTON_REGION) {
      for (let k = 0; k < size; k++) theta[k]! += step[k]!;
      if (length < STEP_TOLERANCE) return theta;
      current = logPosterior(theta, pairs);
      continue;
    }
    // Backtrack until the posterior does not decrease (a full Newton step nearly always does).
    let scale = 1;
    const next = new Float64Array(size);
    for (;;) {
      for (let k = 0; k < size; k++) next[k] = theta[k]! + scale * step[k]!;
      const value = logPosterior(next, pairs);
      if (value >= current) {
        theta.set(next);
        current = value;
        break;
      }
      scale /= 2;
      if (scale < 1e-12) throw new Error('Bradley–Terry fit: no step improves the posterior');
    }
  }
  throw new Error(`Bradley–Terry fit did not converge in ${MAX_ITERATIONS} Newton steps`);
}
