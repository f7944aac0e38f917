#!/usr/bin/env node
// Committed entry point, so `npm ci` can link the bin before anything is built.
try {
  await import('../dist/main.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/main.js')) {
    process.stderr.write(
      'localds: the CLI is not built yet. Run `npm run build` at the repository root.\n',
    );
    process.exit(1);
  }
  throw error;
}
