// The bubblewrap command around the native kernel, and the probe that decides whether it works here.
// Only the system (/usr, /etc) and the interpreter are mounted, read-only; the run directory is the one
// writable place besides a private /tmp. Home directories, the repository and /root are simply absent.
import { spawnSync } from 'node:child_process';
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';

/** Run as this user when the harness is root, so the kernel is unprivileged and RLIMIT_NPROC applies. */
export const SANDBOX_UID = 65534;

export interface BwrapLayout {
  runDir: string;
  /** read-only extras: the interpreter's prefixes when they live outside /usr */
  roDirs: string[];
  env: Record<string, string>;
  /** size cap of the private /tmp (a tmpfs lives in the host's memory) */
  tmpSizeBytes: number;
}

const SYSTEM_DIRS = ['/usr', '/etc'];
// Merged-/usr systems link these into /usr; elsewhere they are real directories.
const TOP_LINKS = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}

export function bwrapArgs(layout: BwrapLayout): string[] {
  const args = [
    '--unshare-all', // user, pid, net, ipc, uts, cgroup: no network at all, only a loopback
    '--die-with-parent',
    '--new-session', // no TIOCSTI into the harness's terminal
    '--cap-drop',
    'ALL', // as root bwrap would otherwise keep every capability (enough to remount / read-write)
    '--hostname',
    'localds-sandbox',
  ];
  for (const dir of SYSTEM_DIRS) args.push('--ro-bind', dir, dir);
  for (const link of TOP_LINKS) {
    const st = lstatSync(link, { throwIfNoEntry: false });
    if (st?.isSymbolicLink()) args.push('--symlink', readlinkSync(link), link);
    else if (st?.isDirectory()) args.push('--ro-bind', link, link);
  }
  const extra = layout.roDirs.filter(
    (dir) => ![...SYSTEM_DIRS, ...TOP_LINKS].some((sys) => under(dir, sys)),
  );
  args.push('--size', String(layout.tmpSizeBytes), '--tmpfs', '/tmp');
  args.push('--dev', '/dev', '--proc', '/proc');
  // After /tmp so an interpreter or run directory under /tmp is mounted on top of the private tmpfs.
  for (const dir of extra) args.push('--ro-bind', dir, dir);
  args.push('--bind', layout.runDir, layout.runDir, '--chdir', layout.runDir);
  // The root itself is bwrap's scratch tmpfs: read-only, so only the run dir and /tmp take writes.
  args.push('--remount-ro', '/', '--clearenv');
  for (const [key, value] of Object.entries(layout.env)) args.push('--setenv', key, value);
  return args;
}

export interface BwrapProbe {
  ok: boolean;
  /** bwrap's own complaint when !ok */
  error?: string;
}

/** Starts the interpreter inside the walls once, as `uid`, and reports whether that worked. */
export function probeBwrap(
  bwrapBin: string,
  layout: BwrapLayout,
  pythonBin: string,
  ids?: { uid: number; gid: number },
): BwrapProbe {
  const r = spawnSync(bwrapBin, [...bwrapArgs(layout), '--', pythonBin, '-c', 'pass'], {
    cwd: '/',
    env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
    timeout: 15_000,
    encoding: 'utf8',
    ...ids,
  });
  if (r.status === 0) return { ok: true };
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    return {
      ok: false,
      error: `bubblewrap is not installed (${bwrapBin}: apt-get install bubblewrap)`,
    };
  }
  const why = r.error?.message ?? (r.stderr.trim() || `exit ${r.status ?? r.signal}`);
  return { ok: false, error: why.split('\n').slice(-3).join(' ') };
}

/**
 * What the interpreter needs mounted: the folder of the path it is started by (a venv's bin, a wrapper),
 * its real executable's folder and its prefixes; a folder inside another listed one is left out.
 */
export function interpreterDirs(
  pythonBin: string,
  executable: string,
  prefixes: string[],
): string[] {
  const dirs = [...new Set([realpathSync(dirname(pythonBin)), dirname(executable), ...prefixes])];
  return dirs.filter((dir) => !dirs.some((other) => other !== dir && under(dir, other))).sort();
}
