// The OS-level walls around the sandbox child, detected once per parent process: its own network (and pid)
// namespace when the kernel lets us create one, and an RLIMIT_DATA ceiling. Node's permission model is the
// third wall and needs no detection (it is a flag of the child's node).
import { spawnSync } from 'node:child_process';
import { parentDeathPrefix } from '../process/parent-death.js';

export type NetworkWall = 'netns-unshare' | 'netns-bwrap' | 'none';

export interface Walls {
  /** how the child is cut off from the network; 'none' means only the JS guards stand in the way */
  network: NetworkWall;
  /** the child cannot see or signal processes outside its own pid namespace */
  pidNamespace: boolean;
  /** `prlimit --data` caps the child's private writable memory (JS heap + wasm heap) */
  osMemoryLimit: boolean;
}

interface Wrapper {
  wall: NetworkWall;
  pidNamespace: boolean;
  argv: string[];
}

// Tried in order; the first whose `true` runs here wins. `--kill-child`/`--die-with-parent` make the
// SIGKILL of the wrapper reach node too.
const WRAPPERS: Wrapper[] = [
  {
    wall: 'netns-unshare',
    pidNamespace: true,
    argv: ['unshare', '--net', '--pid', '--fork', '--kill-child', '--map-root-user', '--'],
  },
  {
    wall: 'netns-unshare',
    pidNamespace: false,
    argv: ['unshare', '--net', '--map-root-user', '--'],
  },
  {
    wall: 'netns-bwrap',
    pidNamespace: true,
    argv: [
      'bwrap',
      '--unshare-net',
      '--unshare-pid',
      '--die-with-parent',
      '--dev-bind',
      '/',
      '/',
      '--',
    ],
  },
];

const works = (argv: string[]) => {
  const [cmd, ...args] = argv as [string, ...string[]];
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 5000 });
  return r.status === 0;
};

let cached: { walls: Walls; prefix: string[] } | undefined;

function detect(): { walls: Walls; prefix: string[] } {
  if (cached) return cached;
  const wrapper = WRAPPERS.find((w) => works([...w.argv, 'true']));
  const osMemoryLimit = works(['prlimit', '--data=1073741824', 'true']);
  cached = {
    walls: {
      network: wrapper?.wall ?? 'none',
      pidNamespace: wrapper?.pidNamespace ?? false,
      osMemoryLimit,
    },
    prefix: wrapper?.argv ?? [],
  };
  return cached;
}

export interface ChildCommand {
  command: string;
  args: string[];
  walls: Walls;
}

/**
 * Wraps `node <nodeArgs>` in the strongest walls this machine allows.
 * `networkIsolation: 'off'` skips the namespace (for machines where it misbehaves); 'require' refuses
 * to start without one.
 */
export function wrapChild(
  nodeArgs: string[],
  opts: { osMemoryBytes: number; networkIsolation: 'auto' | 'require' | 'off' },
): ChildCommand {
  const found = detect();
  const useNetns = opts.networkIsolation !== 'off' && found.walls.network !== 'none';
  if (opts.networkIsolation === 'require' && !useNetns) {
    throw new Error(
      'networkIsolation "require": neither `unshare --net --map-root-user` nor `bwrap --unshare-net` works on this machine',
    );
  }
  const walls: Walls = {
    network: useNetns ? found.walls.network : 'none',
    pidNamespace: useNetns && found.walls.pidNamespace,
    osMemoryLimit: found.walls.osMemoryLimit,
  };
  const argv = [
    // First, so the harness's death reaches the outermost wrapper (see parent-death.ts).
    ...parentDeathPrefix(),
    ...(walls.osMemoryLimit ? ['prlimit', `--data=${Math.floor(opts.osMemoryBytes)}`, '--'] : []),
    ...(useNetns ? found.prefix : []),
    process.execPath,
    ...nodeArgs,
  ];
  const [command, ...args] = argv as [string, ...string[]];
  return { command, args, walls };
}
