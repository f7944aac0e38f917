/**
 * Entry point of a stack's detached supervisor: `node daemon.js <stack dir>`. `startStack`
 * launches it; it runs until SIGTERM/SIGINT and then removes everything it created.
 */
import { readStackRequest } from './state.js';
import { Supervisor } from './supervisor.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: daemon.js <stack directory>\n');
  process.exit(2);
}

const supervisor = new Supervisor(await readStackRequest(dir));
let stopping = false;
for (const name of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(name, () => {
    if (stopping) return;
    stopping = true;
    void supervisor.stop().finally(() => process.exit(0));
  });
}

try {
  await supervisor.start();
} catch (error) {
  if (!stopping) {
    await supervisor.fail(error);
    process.exit(1);
  }
}
