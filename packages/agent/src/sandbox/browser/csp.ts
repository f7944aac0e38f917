// The Content-Security-Policy to serve sandbox.worker.js with. A worker takes its CSP from its own
// script's response, so this is a deployment setting (the page's server), not something the worker can
// set itself. It is a wall under the guards: the browser itself refuses connections and scripts from
// anywhere but the page, the Pyodide files and the package index — including a dynamic import(), which
// is syntax, not a global the guards could replace.

/** Pyodide's CDN, where packages come from unless the deployment self-hosts them. */
export const PYODIDE_CDN_ORIGIN = 'https://cdn.jsdelivr.net';

export function sandboxWorkerCsp(opts: {
  pyodideIndexUrl: string;
  packageIndexUrl?: string;
  /** live Supabase mode: the project the worker forwards model code's data requests to */
  liveProjectUrl?: string;
}): string {
  const origins = [
    ...new Set([
      new URL(opts.pyodideIndexUrl).origin,
      new URL(opts.packageIndexUrl ?? PYODIDE_CDN_ORIGIN).origin,
    ]),
  ].join(' ');
  const live = opts.liveProjectUrl ? ` ${new URL(opts.liveProjectUrl).origin}` : '';
  return [
    "default-src 'none'",
    // 'unsafe-eval': Pyodide compiles its EM_JS glue with eval while it boots; the guards close eval
    // before model code runs.
    `script-src 'self' ${origins} 'unsafe-eval' 'wasm-unsafe-eval'`,
    // Model code's data URL is answered inside the worker without a connection; only live Supabase
    // mode connects to the project (and only for requests the data endpoint has allowed).
    `connect-src 'self' ${origins}${live}`,
  ].join('; ');
}
