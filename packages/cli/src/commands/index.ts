import type { Command } from 'commander';
import { registerBenchmarks } from './benchmarks.js';
import { registerDataset } from './dataset.js';
import { registerOracle } from './oracle.js';
import { registerReport } from './report.js';
import { registerRun } from './run.js';
import { registerScore } from './score.js';
import { registerServe } from './serve.js';
import { registerSweep } from './sweep.js';
import { registerSupabaseCommand } from './supabase.js';

/** Each command lives in its own module and registers itself here. */
export function registerCommands(program: Command): void {
  registerBenchmarks(program);
  registerDataset(program);
  registerSupabaseCommand(program);
  registerOracle(program);
  registerScore(program);
  registerRun(program);
  registerSweep(program);
  registerServe(program);
  registerReport(program);
}
