import { RAW_STAT_FIELDS } from '../summary.js';
import type { Oracle, OracleRawStats } from './types.js';

/** The raw_stats view of an oracle (the fields a run's summary.json reports), for the scorer. */
export function oracleRawStats(oracle: Oracle): OracleRawStats {
  return Object.fromEntries(
    RAW_STAT_FIELDS.map((field) => [field, oracle[field]]),
  ) as OracleRawStats;
}
