/**
 * The scorer's generic helpers this benchmark uses, imported in one place.
 *
 * Until issue #11's flip, @localds/scorer depends on @localds/benchmarks, so importing the scorer's
 * package entry from here makes a type cycle (tsc TS5055: the scorer's declarations pull this
 * package's dist back in as input). Its stats and Python-format modules import nothing of the
 * benchmarks, so they are reached by path meanwhile. After the flip this file becomes
 * `export { … } from '@localds/scorer';` and nothing else changes.
 */
export {
  evenSplitChiSquare,
  normalInverseCdf,
  normalTwoSidedP,
  statResult,
  twoProportionZTest,
  chiSquareSf,
  type Stat,
} from '../../../scorer/dist/stats/index.js';
export {
  followsWrongBetter,
  mayFollowWrong,
  within,
} from '../../../scorer/dist/diagnostics/match.js';
