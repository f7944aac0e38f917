// Node-only: a sandbox child must not outlive the harness. Node cannot call prctl(PR_SET_PDEATHSIG)
// itself, so the child is started through util-linux's `setpriv --pdeathsig KILL`, which sets the
// parent-death signal and then execs the real command (prlimit, unshare, bwrap, python: none of them
// set-user-ID, so the signal survives the exec). When the harness dies, however it dies (SIGKILL
// included), the kernel sends SIGKILL to that child; `unshare --kill-child` and `bwrap
// --die-with-parent` pass it on, and the pid namespace takes the rest.
import { spawnSync } from 'node:child_process';

// An absolute path where it is known: a child's environment may have no PATH.
const CANDIDATES = ['/usr/bin/setpriv', '/bin/setpriv', 'setpriv'];

let prefix: string[] | undefined;

/** The argv prefix that ties a child's life to this process, or [] where setpriv is missing. */
export function parentDeathPrefix(): string[] {
  prefix ??=
    CANDIDATES.map((bin) => [bin, '--pdeathsig', 'KILL', '--']).find(
      ([bin, ...args]) =>
        spawnSync(bin!, [...args, 'true'], { stdio: 'ignore', timeout: 5000 }).status === 0,
    ) ?? [];
  return [...prefix];
}

/** `command args` run through the parent-death prefix (unchanged when it is unavailable). */
export function diesWithParent(
  command: string,
  args: readonly string[],
): { command: string; args: string[] } {
  const [first, ...rest] = [...parentDeathPrefix(), command, ...args] as [string, ...string[]];
  return { command: first, args: rest };
}
