// Every way out of the sandbox worker, closed before model code runs. Model code reaches all of JS through
// Pyodide (`import js`, `pyodide.ffi`, `pyodide_js`), so each route is replaced on the global object AND on
// every prototype that holds it, non-writable and non-configurable: no Python or JS can put it back. The
// originals live only in this module's closure (for the audit); nothing reachable from globalThis keeps them.

/** Globals that reach the network, other contexts or persistent storage; each becomes a throwing stand-in. */
export const BLOCKED_GLOBALS = [
  'XMLHttpRequest',
  'WebSocket',
  'WebSocketStream',
  'EventSource',
  'importScripts',
  'Worker',
  'SharedWorker',
  'BroadcastChannel',
  'WebTransport',
  'RTCPeerConnection',
  'webkitRTCPeerConnection',
  'RTCDataChannel',
  'FontFace', // new FontFace(name, 'url(…)').load() fetches the URL
  'Notification', // a notification's icon is fetched
  'ShadowRealm',
  'fetchLater',
  // Chromium's old sandboxed file system: storage that outlives the run
  'webkitRequestFileSystem',
  'webkitRequestFileSystemSync',
  'webkitResolveLocalFileSystemURL',
  'webkitResolveLocalFileSystemSyncURL',
  'postMessage', // the harness talks over private MessagePorts; model code may not forge messages
  'close',
] as const;

/** Getters whose objects open storage or cross-context channels. */
export const BLOCKED_GETTERS = ['indexedDB', 'caches', 'cookieStore', 'fonts'] as const;

/** navigator members that reach the network, storage or devices. */
export const BLOCKED_NAVIGATOR = [
  'sendBeacon',
  'storage',
  'storageBuckets',
  'locks',
  'serviceWorker',
  'usb',
  'hid',
  'serial',
  'bluetooth',
] as const;

/** Code from strings: with these gone, model code can only call functions that already exist. */
export const BLOCKED_CODE_GENERATION = [
  'eval',
  'Function',
  'Function.prototype.constructor',
  'AsyncFunction.prototype.constructor',
  'GeneratorFunction.prototype.constructor',
  'AsyncGeneratorFunction.prototype.constructor',
  'setTimeout(string)',
  'setInterval(string)',
] as const;

export interface GuardOptions {
  /** stands in for `fetch`: answered by the sandbox's own network (the run's data endpoint, or a 403) */
  fetch: (input: unknown, init?: unknown) => Promise<unknown>;
  /** stands in for `XMLHttpRequest`: the same network, synchronous requests included */
  XMLHttpRequest: unknown;
  /** called whenever model code touches a blocked route (the main thread records it) */
  report: (api: string, target: string) => void;
  codeGeneration: 'blocked' | 'allowed';
}

export interface Guards {
  /** Walks everything reachable from `roots` and lists paths that lead to a replaced original. */
  audit(
    roots: Record<string, unknown>,
    skip?: (obj: object) => boolean,
  ): { visited: number; leaks: string[] };
}

type Obj = Record<PropertyKey, unknown>;
// Captured at load, before model code runs: `real.call(…)` would look up Function.prototype.call, which
// model code can replace to be handed `real`.
const apply = Reflect.apply;

export function blockedMessage(api: string): string {
  return `${api} is not available in the localds sandbox: model code may only reach the run's data URL, over HTTP (requests, pyodide.http.pyfetch)`;
}

/** A printable target for the record: the URL when the first argument is one. */
function targetOf(args: unknown[]): string {
  const first = args[0];
  if (typeof first === 'string') return first.slice(0, 2048);
  if (first && typeof first === 'object' && 'url' in first) return String(first.url).slice(0, 2048);
  if (first instanceof URL) return first.href.slice(0, 2048);
  return '';
}

/** The object and its prototype chain: WebIDL puts a global's members on the instance, others on prototypes. */
function chain(obj: object): object[] {
  const out: object[] = [];
  for (let o: object | null = obj; o; o = Object.getPrototypeOf(o) as object | null) out.push(o);
  return out;
}

export function installGuards(opts: GuardOptions): Guards {
  const g = globalThis as unknown as Obj;
  /** original value (function, getter or object) → what it was */
  const originals = new Map<unknown, string>();
  const standIns = new WeakSet<object>();

  const remember = (holder: object, name: PropertyKey, label: string) => {
    const desc = Object.getOwnPropertyDescriptor(holder, name);
    if (!desc) return;
    if ('value' in desc && desc.value !== undefined && desc.value !== null)
      originals.set(desc.value, label);
    if (desc.get) {
      originals.set(desc.get, `${label} (getter)`);
      try {
        const value: unknown = desc.get.call(holder === g ? g : holder);
        if (value && typeof value === 'object') originals.set(value, label);
      } catch {
        // A getter that needs a real instance (on a prototype): its function is remembered above.
      }
    }
  };

  /** Replaces `name` on `target` and on every object of its chain that has its own `name`. */
  const lock = (target: object, name: PropertyKey, label: string, desc: PropertyDescriptor) => {
    const holders = chain(target).filter((o, i) => i === 0 || Object.hasOwn(o, name));
    for (const holder of holders) {
      remember(holder, name, label);
      const current = Object.getOwnPropertyDescriptor(holder, name);
      if (current && !current.configurable) {
        throw new Error(`localds sandbox: cannot guard ${label}: it is already non-configurable`);
      }
      Object.defineProperty(holder, name, { ...desc, configurable: false, enumerable: false });
    }
  };

  const standIn = (api: string, name = api) => {
    const fn = function blocked(...args: unknown[]): never {
      opts.report(api, targetOf(args));
      throw new Error(blockedMessage(api));
    };
    Object.defineProperty(fn, 'name', { value: name });
    standIns.add(fn);
    return fn;
  };
  const lockValue = (target: object, name: string, label: string, value: unknown) =>
    lock(target, name, label, { value, writable: false });
  const lockGetter = (target: object, name: string, label: string) => {
    const get = standIn(label);
    lock(target, name, label, { get });
  };

  lockValue(g, 'fetch', 'fetch', opts.fetch);
  lockValue(g, 'XMLHttpRequest', 'XMLHttpRequest', opts.XMLHttpRequest);
  // Stand-ins are defined even where the browser lacks the API, so every attempt meets the same clear
  // error and is recorded.
  for (const name of BLOCKED_GLOBALS) {
    if (name !== 'XMLHttpRequest') lockValue(g, name, name, standIn(name));
  }
  for (const name of BLOCKED_GETTERS) lockGetter(g, name, name);
  const nav = g.navigator as object | undefined;
  if (nav) {
    for (const name of BLOCKED_NAVIGATOR) {
      const label = `navigator.${name}`;
      if (name === 'sendBeacon' || typeof (nav as Obj)[name] === 'function') {
        lockValue(nav, name, label, standIn(label));
      } else lockGetter(nav, name, label);
    }
  }

  if (opts.codeGeneration === 'blocked') {
    lockValue(g, 'eval', 'eval', standIn('eval'));
    // Keep `Function.prototype` pointing at the real one: Pyodide's PyProxy instanceof checks use it.
    const functionStandIn = standIn('Function');
    functionStandIn.prototype = (g.Function as { prototype: unknown }).prototype;
    lockValue(g, 'Function', 'Function', functionStandIn);
    // Every function's `.constructor` leads to a constructor that compiles strings; close all four.
    const kinds: [string, object][] = [
      ['Function', Object.getPrototypeOf(function () {}) as object],
      ['AsyncFunction', Object.getPrototypeOf(async function () {}) as object],
      ['GeneratorFunction', Object.getPrototypeOf(function* () {}) as object],
      ['AsyncGeneratorFunction', Object.getPrototypeOf(async function* () {}) as object],
    ];
    for (const [kind, proto] of kinds) {
      const label = `${kind}.prototype.constructor`;
      remember(proto, 'constructor', label);
      Object.defineProperty(proto, 'constructor', {
        value: standIn(label, kind),
        writable: false,
        configurable: false,
        enumerable: false,
      });
    }
    // A string handler is eval in disguise; functions pass through to the real timers.
    for (const name of ['setTimeout', 'setInterval'] as const) {
      const real = g[name] as (handler: unknown, ...rest: unknown[]) => unknown;
      const safe = function (handler: unknown, ...rest: unknown[]): unknown {
        if (typeof handler !== 'function') {
          opts.report(`${name}(string)`, '');
          throw new Error(blockedMessage(`${name} with a string`));
        }
        return apply(real, g, [handler, ...rest]);
      };
      Object.defineProperty(safe, 'name', { value: name });
      lockValue(g, name, name, safe);
    }
  }

  return {
    audit(roots, skip) {
      const seen = new WeakSet<object>();
      const queue: [string, unknown][] = Object.entries(roots);
      const leaks: string[] = [];
      let visited = 0;
      while (queue.length > 0 && visited < 300_000) {
        const [path, obj] = queue.shift() as [string, unknown];
        if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) continue;
        if (seen.has(obj)) continue;
        seen.add(obj);
        visited += 1;
        if (originals.has(obj)) {
          leaks.push(`${path} → ${originals.get(obj)}`);
          continue;
        }
        if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer || skip?.(obj)) continue;
        let keys: PropertyKey[];
        try {
          keys = Reflect.ownKeys(obj);
        } catch {
          continue;
        }
        queue.push([`${path}.__proto__`, Object.getPrototypeOf(obj)]);
        for (const key of keys) {
          let desc: PropertyDescriptor | undefined;
          try {
            desc = Object.getOwnPropertyDescriptor(obj, key);
          } catch {
            continue;
          }
          if (!desc) continue;
          const at = `${path}.${String(key)}`;
          if ('value' in desc) queue.push([at, desc.value]);
          for (const accessor of [desc.get, desc.set]) if (accessor) queue.push([at, accessor]);
          if (desc.get && !standIns.has(desc.get)) {
            try {
              const value: unknown = desc.get.call(obj);
              // Promise getters read off a prototype reject ("Illegal invocation"); keep that quiet.
              if (value instanceof Promise) value.catch(() => undefined);
              queue.push([at, value]);
            } catch {
              // Getters that need a real instance throw on prototypes; nothing to follow.
            }
          }
        }
      }
      return { visited, leaks };
    },
  };
}
