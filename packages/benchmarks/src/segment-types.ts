/**
 * Structural copies of the scorer's `Stat` and `CheckOutcome` for #13's benchmarks. Importing them
 * from @localds/scorer would make the benchmarks' declaration files import the scorer's, whose own
 * import the benchmarks: a type cycle that breaks the scorer's build until #11 flips the dependency.
 * After the flip, import both from @localds/scorer and delete this file.
 */
export type Stat = number | null;

export interface CheckOutcome {
  pass: boolean;
  detail: string;
  judged?: boolean;
}
