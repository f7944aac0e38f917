import { readFile } from 'node:fs/promises';
import { EventRowsSchema, RAW_STAT_FIELDS, scenarios, type EventRow } from '@localds/benchmarks';
import { computeOracle, type Oracle, type Stat, type VariantFigures } from '@localds/scorer';
import { Option, type Command } from 'commander';
import {
  addScenarioOptions,
  rowsFromScenarioOptions,
  scenarioFromOptions,
} from '../scenario-options.js';

const FORMATS = ['json', 'text'] as const;
type Format = (typeof FORMATS)[number];

interface OracleOptions {
  data?: string;
  format: Format;
  [scenarioOption: string]: unknown;
}

/** How many schema problems to list before summarising the rest. */
const MAX_PROBLEMS = 5;

/** Reads and validates a rows file; the error names the file, the row (and its id) and the field. */
export async function readRowsFile(file: string): Promise<EventRow[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read --data ${file}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`--data ${file} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = EventRowsSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const problems = issues.slice(0, MAX_PROBLEMS).map((issue) => {
    const [index, field] = issue.path;
    if (typeof index !== 'number')
      return `the file must hold a JSON array of event rows (${issue.message})`;
    const row = Array.isArray(json) ? (json[index] as { id?: unknown } | undefined) : undefined;
    const id =
      row && typeof row === 'object' && 'id' in row ? ` (id ${JSON.stringify(row.id)})` : '';
    const where = field === undefined ? '' : ` field "${String(field)}"`;
    return `row ${index}${id}${where}: ${issue.message}`;
  });
  const more = issues.length > MAX_PROBLEMS ? `; and ${issues.length - MAX_PROBLEMS} more` : '';
  throw new Error(
    `--data ${file} is not a list of posthog_events rows: ${problems.join('; ')}${more}`,
  );
}

/** Numbers as a reader wants them: counts whole, tiny or huge values in exponent form, null spelled out. */
function show(value: Stat): string {
  if (value === null) return 'null';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const size = Math.abs(value);
  return size !== 0 && (size < 1e-4 || size >= 1e6)
    ? value.toExponential(4)
    : String(Number(value.toPrecision(6)));
}

function table(title: string, rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([name]) => name.length));
  return [title, ...rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`), ''];
}

/** The oracle as an aligned, human-readable report; field names as in summary.json's raw_stats. */
export function formatOracleText(oracle: Oracle, source: string): string {
  const stats = (...fields: (keyof Oracle)[]): [string, string][] =>
    fields.map((f) => [f, show(oracle[f] as Stat)]);
  const variantRows = (Object.keys(oracle.variants.A) as (keyof VariantFigures)[]).map(
    (f): [string, string] => [
      f,
      `${show(oracle.variants.A[f]).padStart(12)}  ${show(oracle.variants.B[f]).padStart(12)}`,
    ],
  );
  const { excluded } = oracle;
  const unknown =
    oracle.unknown_variants.length > 0
      ? ` (${oracle.unknown_variants.map((v) => JSON.stringify(v)).join(', ')})`
      : '';
  const lines = [
    `oracle for ${oracle.benchmark} ${oracle.benchmark_version}: ${source}`,
    `rows: ${oracle.rows_total} total, ${oracle.rows_used} used, ${oracle.rows_excluded} excluded ` +
      `(${excluded.null_variant} null variant, ${excluded.null_session} null session, ${excluded.unknown_variant} unknown variant${unknown})` +
      (oracle.sessions_in_both_variants > 0
        ? `; ${oracle.sessions_in_both_variants} sessions in both variants`
        : ''),
    '',
    ...table('decision', [
      ['status', oracle.status],
      ['recommended_variant', oracle.recommended_variant ?? 'null'],
    ]),
    ...table('raw_stats', stats(...RAW_STAT_FIELDS)),
    ...table(
      `primary: completion_time_seconds, B − A (CI ${show(oracle.ci_level * 100)}%)`,
      stats('t_statistic', 'welch_df', 'mean_diff', 'ci_low', 'ci_high', 'pooled_sd'),
    ),
    ...table(
      'guardrails',
      stats('completion_chi2', 'completion_p_value', 'repeat_z', 'repeat_p_value'),
    ),
    ...table(
      'sample ratio mismatch',
      stats('srm_chi2', 'srm_p_value', 'srm_chi2_events', 'srm_p_value_events'),
    ),
    ...table('per variant', [['', `${'A'.padStart(12)}  ${'B'.padStart(12)}`], ...variantRows]),
    'why',
    ...oracle.decision_reasons.map((r) => `  - ${r}`),
  ];
  const undefinedFields = Object.entries(oracle.undefined_reasons);
  if (undefinedFields.length > 0) {
    lines.push(
      '',
      'undefined',
      ...undefinedFields.map(([field, reason]) => `  ${field}: ${reason}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `localds oracle`: every statistic of the benchmark computed from rows, with the decision. */
export function registerOracle(program: Command): void {
  const cmd = program
    .command('oracle')
    .description(
      'Compute the oracle (the right answer) from event rows: raw_stats, tests, SRM, status and recommended_variant.',
    )
    .addOption(
      new Option(
        '--data <file>',
        'JSON array of posthog_events rows (as the REST API returns them)',
      ).conflicts(['scenario', 'seed']),
    );
  addScenarioOptions(cmd)
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('json'))
    .addHelpText(
      'after',
      `
Without --data the rows are generated from --scenario (default canonical) and --seed.

Examples:
  localds oracle --format text
  localds oracle --scenario srm --seed 7
  localds oracle --data rows.json --format text`,
    )
    .action(async (opts: OracleOptions) => {
      let rows: EventRow[];
      let source: string;
      if (opts.data !== undefined) {
        rows = await readRowsFile(opts.data);
        source = opts.data;
      } else {
        const { scenario, seed } = scenarioFromOptions(opts);
        rows = rowsFromScenarioOptions(opts);
        source = `scenario ${scenario}, seed ${seed ?? scenarios[scenario].defaultSeed}`;
      }
      const oracle = computeOracle(rows);
      process.stdout.write(
        opts.format === 'json'
          ? `${JSON.stringify(oracle, null, 2)}\n`
          : formatOracleText(oracle, source),
      );
    });
}
