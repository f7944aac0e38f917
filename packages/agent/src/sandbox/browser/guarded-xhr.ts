// XMLHttpRequest for model code, answered by the sandbox's own network (the run's data endpoint, or a
// refusal) exactly like the guarded fetch: so a client built on XHR meets the same allow-list and
// recording. Synchronous requests work too, because the data endpoint answers in the worker without
// waiting on anyone: urllib3's emscripten backend (and so `requests`) uses a synchronous XHR in a worker
// when JSPI is unavailable. Hand-written because the real XHR must be gone from the worker.
import { statusTextOf } from '../network/fetch-response.js';
import type { SandboxRequest, SandboxResponse } from '../types.js';

/** The sandbox's network: answers a request at once (the data endpoint never waits on anyone). */
export type AnswerNow = (req: SandboxRequest) => SandboxResponse;

type Handler = ((this: unknown, event: Event) => void) | null;
type XhrEvent = 'readystatechange' | 'load' | 'error' | 'abort' | 'loadend' | 'timeout';
type Body = string | ArrayBuffer | ArrayBufferView | Blob | URLSearchParams | FormData | null;

const encoder = new TextEncoder();

/** A body read without waiting (what a synchronous request can send), else null. */
function bodyBytesNow(body: Body | undefined): Uint8Array | undefined | null {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof URLSearchParams)
    return encoder.encode(String(body));
  if (body instanceof ArrayBuffer) return new Uint8Array(body.slice(0));
  if (ArrayBuffer.isView(body))
    return new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  return null;
}

async function bodyBytes(body: Body | undefined): Promise<Uint8Array | undefined> {
  const now = bodyBytesNow(body);
  if (now !== null) return now;
  return new Uint8Array(await new Response(body as Blob | FormData).arrayBuffer());
}

/** What XHR's `response` is for responseType 'json' when the body is not JSON: null, not a throw. */
function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function guardedXhrClass(answer: AnswerNow, baseUrl: string): new () => EventTarget {
  return class XMLHttpRequest extends EventTarget {
    static readonly UNSENT = 0;
    static readonly OPENED = 1;
    static readonly HEADERS_RECEIVED = 2;
    static readonly LOADING = 3;
    static readonly DONE = 4;
    readyState = 0;
    status = 0;
    statusText = '';
    responseType: '' | 'text' | 'arraybuffer' | 'json' | 'blob' = '';
    response: unknown = null;
    responseURL = '';
    timeout = 0;
    withCredentials = false;
    onreadystatechange: Handler = null;
    onload: Handler = null;
    onerror: Handler = null;
    onabort: Handler = null;
    onloadend: Handler = null;
    ontimeout: Handler = null;
    private method = 'GET';
    private url = '';
    private async = true;
    private readonly headers: Record<string, string> = {};
    private responseHeaders: Record<string, string> = {};
    private text = '';
    private aborted = false;

    get responseText(): string {
      return this.text;
    }

    open(method: string, url: string | URL, async = true): void {
      this.method = method.toUpperCase();
      this.url = new URL(String(url), baseUrl).href;
      this.async = async !== false;
      this.set(1);
    }

    setRequestHeader(name: string, value: string): void {
      this.headers[name] = String(value);
    }

    overrideMimeType(): void {}

    getResponseHeader(name: string): string | null {
      const key = Object.keys(this.responseHeaders).find(
        (k) => k.toLowerCase() === name.toLowerCase(),
      );
      return key === undefined ? null : (this.responseHeaders[key] ?? null);
    }

    getAllResponseHeaders(): string {
      return Object.entries(this.responseHeaders)
        .map(([k, v]) => `${k.toLowerCase()}: ${v}\r\n`)
        .join('');
    }

    abort(): void {
      this.aborted = true;
    }

    send(body?: Body): void {
      const request = (bytes: Uint8Array | undefined): SandboxRequest => ({
        method: this.method,
        url: this.url,
        headers: { ...this.headers },
        ...(bytes ? { body: bytes } : {}),
      });
      if (!this.async) {
        const bytes = bodyBytesNow(body);
        if (bytes === null) {
          throw new TypeError('a synchronous XMLHttpRequest can only send text or bytes');
        }
        this.complete(answer(request(bytes)));
        return;
      }
      void bodyBytes(body)
        .then((bytes) => answer(request(bytes)))
        .then(
          (response) => (this.aborted ? this.fail('abort') : this.complete(response)),
          () => this.fail(this.aborted ? 'abort' : 'error'),
        );
    }

    private complete(res: SandboxResponse): void {
      const bytes = typeof res.body === 'string' ? encoder.encode(res.body) : res.body;
      this.status = res.status;
      this.statusText = statusTextOf(res);
      this.responseURL = this.url;
      this.responseHeaders = res.headers;
      this.set(2);
      this.text = new TextDecoder().decode(bytes);
      const buffer = new Uint8Array(bytes).buffer; // a copy: the caller keeps its own bytes
      this.response =
        this.responseType === 'arraybuffer'
          ? buffer
          : this.responseType === 'blob'
            ? new Blob([buffer])
            : this.responseType === 'json'
              ? parseJsonOrNull(this.text)
              : this.text;
      this.set(4);
      this.fire('load');
      this.fire('loadend');
    }

    private fail(kind: 'error' | 'abort'): void {
      this.set(4);
      this.fire(kind);
      this.fire('loadend');
    }

    private set(state: number): void {
      this.readyState = state;
      this.fire('readystatechange');
    }

    private fire(type: XhrEvent): void {
      const event = new Event(type);
      const handler = this[`on${type}`];
      if (handler) handler.call(this, event);
      this.dispatchEvent(event);
    }
  };
}
