export {
  EMBEDDED_URL,
  fetchSupabaseRows,
  projectOfTableUrl,
  projectUrl,
  randomAnonKey,
  serveRows,
  type ServedData,
} from './data.js';
export { collectFiles, redactFiles, redactKeys, type RedactedFiles } from './files.js';
export { createReexecute, type ReexecuteOptions } from './reexecute.js';
export {
  defaultModelName,
  PROVIDER_OF_KIND,
  providerOf,
  runBenchmark,
  type BenchmarkRun,
  type DataOptions,
  type RunBenchmarkOptions,
} from './run-benchmark.js';
export type { CreatedSandbox, SandboxFactory, SandboxSetup } from './sandbox-factory.js';
export {
  PackagesChoiceSchema,
  splitReplayEnvironment,
  stdlibOnlyPackagesLine,
  taskForEnvironment,
  type PackagesChoice,
} from './environment.js';
