import { Command } from 'commander';
import { registerCommands } from './commands/index.js';
import { loadBenchmarkPlugins } from './plugins.js';

const program = new Command()
  .name('localds')
  .description('Test whether local language models can do real data-science work.')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

loadBenchmarkPlugins()
  .then(() => {
    registerCommands(program);
    return program.parseAsync(process.argv);
  })
  .catch((error: unknown) => {
    // A clear one-line message for unusable input; the stack only when asked for.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`localds: ${message}\n`);
    if (process.env.LOCALDS_DEBUG && error instanceof Error)
      process.stderr.write(`${error.stack}\n`);
    process.exitCode = process.exitCode || 1;
  });
