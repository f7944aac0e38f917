import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import sirv from 'sirv';

/** The workbench's production build, shipped by the @localds/web workspace package. */
function defaultSiteDir(): string {
  const webPackage = createRequire(import.meta.url).resolve('@localds/web/package.json');
  return join(dirname(webPackage), 'dist');
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the workbench page (the static build of apps/web) on this machine.')
    .addOption(new Option('--port <port>', 'port to listen on (0: any free port)').default('5178'))
    .addOption(
      new Option(
        '--host <host>',
        'address to bind; loopback keeps the page on this machine',
      ).default('127.0.0.1'),
    )
    .option('--dir <dir>', 'directory to serve instead of the built page')
    .addHelpText(
      'after',
      '\nThe page is fully static (hash routing, relative asset paths): any static host or sub-path works too.',
    )
    .action(async (opts: { port: string; host: string; dir?: string }) => {
      const dir = opts.dir ? resolve(opts.dir) : defaultSiteDir();
      if (!existsSync(join(dir, 'index.html'))) {
        throw new Error(`no index.html in ${dir}: build the page first (npm run build)`);
      }
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error(`--port must be an integer from 0 to 65535, got "${opts.port}"`);
      }
      // sirv: a maintained static handler (ETags, ranges, content types); no SPA fallback is
      // needed because the page routes by hash. COOP/COEP make the page cross-origin isolated, so
      // a runaway cell is interrupted through a SharedArrayBuffer instead of restarting the kernel.
      const server = createServer(
        sirv(dir, {
          dev: false,
          etag: true,
          setHeaders: (res) => {
            res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
            res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
          },
        }),
      );
      await new Promise<void>((ready, fail) => {
        server.once('error', fail);
        server.listen(port, opts.host, ready);
      });
      const address = server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      process.stdout.write(`localds workbench: http://${host}:${actualPort}/ (Ctrl-C to stop)\n`);
      const stop = () => server.close(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
