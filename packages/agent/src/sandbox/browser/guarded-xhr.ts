// XMLHttpRequest for model code, on top of the guarded fetch: so a client built on XHR (e.g. `requests`
// through urllib3's emscripten backend) meets the same allow-list and recording as one built on fetch.
// Hand-written because the real XHR must be gone; only asynchronous requests can be relayed (a worker
// cannot block on the main thread's answer), so synchronous ones fail with a clear message.

type GuardedFetch = (input: string, init: RequestInit) => Promise<Response>;
type Handler = ((this: unknown, event: Event) => void) | null;

type XhrEvent = 'readystatechange' | 'load' | 'error' | 'abort' | 'loadend' | 'timeout';

export function guardedXhrClass(
  fetchImpl: GuardedFetch,
  report: (api: string, target: string) => void,
): new () => EventTarget {
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
    private readonly headers: Record<string, string> = {};
    private responseHeaders = new Headers();
    private text = '';
    private controller: AbortController | undefined;

    get responseText(): string {
      return this.text;
    }

    open(method: string, url: string, async = true): void {
      this.method = method.toUpperCase();
      this.url = String(url);
      if (async === false) {
        report('XMLHttpRequest (synchronous)', this.url);
        throw new Error(
          'synchronous XMLHttpRequest is not available in the localds sandbox; use an asynchronous client such as pyodide.http.pyfetch',
        );
      }
      this.set(1);
    }

    setRequestHeader(name: string, value: string): void {
      this.headers[name] = value;
    }

    overrideMimeType(): void {}

    getResponseHeader(name: string): string | null {
      return this.responseHeaders.get(name);
    }

    getAllResponseHeaders(): string {
      return [...this.responseHeaders].map(([k, v]) => `${k}: ${v}\r\n`).join('');
    }

    abort(): void {
      this.controller?.abort();
    }

    send(body?: RequestInit['body']): void {
      this.controller = new AbortController();
      const timer = this.timeout > 0 ? setTimeout(() => this.controller?.abort(), this.timeout) : 0;
      const init: RequestInit = {
        method: this.method,
        headers: this.headers,
        signal: this.controller.signal,
      };
      if (body !== undefined && body !== null) init.body = body;
      void fetchImpl(this.url, init)
        .then(async (res) => {
          this.status = res.status;
          this.statusText = res.statusText;
          this.responseURL = res.url || this.url;
          this.responseHeaders = res.headers;
          this.set(2);
          const bytes = await res.arrayBuffer();
          this.text = new TextDecoder().decode(bytes);
          this.response =
            this.responseType === 'arraybuffer'
              ? bytes
              : this.responseType === 'blob'
                ? new Blob([bytes])
                : this.responseType === 'json'
                  ? (JSON.parse(this.text) as unknown)
                  : this.text;
          this.set(4);
          this.fire('load');
        })
        .catch(() => {
          this.set(4);
          this.fire(
            this.controller?.signal.aborted ? (this.timeout ? 'timeout' : 'abort') : 'error',
          );
        })
        .finally(() => {
          clearTimeout(timer);
          this.fire('loadend');
        });
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
