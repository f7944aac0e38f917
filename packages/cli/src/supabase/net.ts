import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that is free right now: `port` itself (rejects when taken), or any
 * when 0. PostgreSQL and PostgREST need a number up front, so we ask the kernel for one; the
 * short gap before they bind is an accepted race.
 */
export function freePort(port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}
