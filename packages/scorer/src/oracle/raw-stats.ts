import type { Oracle, OracleRawStats } from './types.js';

/** The raw_stats view of an oracle (the fields a run's summary.json reports), for the scorer. */
export function oracleRawStats(oracle: Oracle): OracleRawStats {
  return {
    p_value: oracle.p_value,
    cohens_d: oracle.cohens_d,
    mean_a: oracle.mean_a,
    mean_b: oracle.mean_b,
    std_a: oracle.std_a,
    std_b: oracle.std_b,
    completion_rate_a: oracle.completion_rate_a,
    completion_rate_b: oracle.completion_rate_b,
    repeat_rate_a: oracle.repeat_rate_a,
    repeat_rate_b: oracle.repeat_rate_b,
    srm_p_value: oracle.srm_p_value,
  };
}
