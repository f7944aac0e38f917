import type { AnyBenchmark } from './definition.js';
import type { TableSpec } from './dataset-format.js';

/** A benchmark's table: its name and columns, for the dataset formats, the endpoints and `supabase start`. */
export function tableOf(benchmark: AnyBenchmark): TableSpec {
  return { name: benchmark.dataAccess.table, columns: benchmark.dataset.columns };
}
