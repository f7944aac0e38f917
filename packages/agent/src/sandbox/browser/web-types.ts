// The package compiles with lib ES2023 and Node's types only (adding the DOM or WebWorker lib would change
// every other file's globals), so the few Web APIs the browser level touches are spelled out here.

export interface WebMessageEvent {
  readonly data: unknown;
  readonly ports: readonly WebMessagePort[];
}

export interface WebMessagePort {
  postMessage(message: unknown, transfer?: unknown[]): void;
  addEventListener(type: 'message', listener: (event: WebMessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: WebMessageEvent) => void): void;
  start(): void;
  close(): void;
}

export interface WebMessageChannel {
  readonly port1: WebMessagePort;
  readonly port2: WebMessagePort;
}

export interface WebWorker {
  postMessage(message: unknown, transfer?: unknown[]): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: unknown) => void): void;
  terminate(): void;
}

/** What the main side reads from the page's global scope. */
export interface MainScope {
  MessageChannel: new () => WebMessageChannel;
  crossOriginIsolated?: boolean;
}

/** The real XMLHttpRequest, as far as live Supabase mode uses it (synchronous, bytes). */
export interface WebXhr {
  open(method: string, url: string, async: false): void;
  responseType: string;
  setRequestHeader(name: string, value: string): void;
  send(body: Uint8Array | null): void;
  getAllResponseHeaders(): string;
  readonly status: number;
  readonly response: unknown;
}

/** The dedicated worker's global scope, as far as the worker entry uses it. */
export interface WorkerScope {
  readonly location?: { readonly href: string };
  readonly XMLHttpRequest: { new (): WebXhr; readonly prototype: WebXhr };
  addEventListener(type: 'message', listener: (event: WebMessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: WebMessageEvent) => void): void;
}

export const mainScope = globalThis as unknown as MainScope;
export const workerScope = globalThis as unknown as WorkerScope;
