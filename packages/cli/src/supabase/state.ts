import { chmod, mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/** Every stack lives in its own directory under this root; the directory name is the stack id. */
export function stacksRoot(): string {
  return process.env.LOCALDS_SUPABASE_ROOT ?? join(tmpdir(), 'localds-supabase');
}

/** Creates the root like /tmp itself (sticky, world-writable) so root and users can share it. */
export async function ensureStacksRoot(): Promise<string> {
  const root = stacksRoot();
  if ((await mkdir(root, { recursive: true })) !== undefined) await chmod(root, 0o1777);
  return root;
}

/** What `start` hands the supervisor (written before it is launched). */
export const StackRequestSchema = z.object({
  id: z.string(),
  dir: z.string(),
  cwd: z.string(),
  /** The front's port; 0 picks a free one. */
  port: z.number().int().min(0).max(65535),
  /** The table the printed URL and the readiness probe point at. */
  table: z.string(),
  seedFile: z.string(),
});
export type StackRequest = z.infer<typeof StackRequestSchema>;

const PortsSchema = z.object({ front: z.number(), postgres: z.number(), postgrest: z.number() });
const PidsSchema = z.object({
  supervisor: z.number(),
  postgres: z.number().optional(),
  postgrest: z.number().optional(),
});

/** The supervisor's `state.json`: written while starting, when ready, or when startup failed. */
export const StackStateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('starting'), id: z.string(), pids: PidsSchema }),
  z.object({ status: z.literal('failed'), id: z.string(), pids: PidsSchema, error: z.string() }),
  z.object({
    status: z.literal('ready'),
    id: z.string(),
    dir: z.string(),
    cwd: z.string(),
    startedAt: z.string(),
    pids: PidsSchema,
    ports: PortsSchema,
    postgresVersion: z.string(),
    /** The project URL, as a Supabase client expects it (`http://127.0.0.1:PORT`). */
    url: z.string(),
    /** The table endpoint (`…/rest/v1/<table>`). */
    tableUrl: z.string(),
    /** The anon key: local, random, only valid against this stack. */
    anonKey: z.string(),
  }),
]);
export type StackState = z.infer<typeof StackStateSchema>;
/** A running stack, as `startStack` returns it and `state.json` records it. */
export type StackInfo = Extract<StackState, { status: 'ready' }>;

export const stateFile = (dir: string): string => join(dir, 'state.json');
export const requestFile = (dir: string): string => join(dir, 'request.json');

/** Written to a temporary name and renamed, so a reader never sees half a file. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFile(`${file}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

export async function readStackState(dir: string): Promise<StackState | undefined> {
  let text: string;
  try {
    text = await readFile(stateFile(dir), 'utf8');
  } catch {
    return undefined;
  }
  return StackStateSchema.parse(JSON.parse(text));
}

export async function readStackRequest(dir: string): Promise<StackRequest> {
  return StackRequestSchema.parse(JSON.parse(await readFile(requestFile(dir), 'utf8')));
}

/** Directories of every stack that was started and not yet removed (alive or not). */
export async function stackDirs(): Promise<string[]> {
  await ensureStacksRoot();
  const entries = await readdir(stacksRoot(), { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => join(stacksRoot(), e.name));
}
