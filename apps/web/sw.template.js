/* global self, caches, Headers, Response, __VERSION__, __PRECACHE__ -- a service worker, filled in by vite.config.ts */
// The workbench's service worker. Hand-written rather than workbox: it needs only a precache of the
// files this build lists and two cache-first rules, about forty lines.
const VERSION = __VERSION__;
const SHELL = `localds-shell-${VERSION}`;
const PACKAGES = 'localds-pyodide-packages';
/** The app shell and Pyodide's core, relative to this file (the build lists them). */
const PRECACHE = __PRECACHE__;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((k) => k.startsWith('localds-shell-') && k !== SHELL)
            .map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

/**
 * The page's own files, served with COOP/COEP so the page is cross-origin isolated from its second
 * visit even on a static host that cannot set headers: a runaway cell then gets a KeyboardInterrupt
 * through a SharedArrayBuffer, keeping the kernel's state, instead of a fresh worker. COEP also keeps
 * cross-origin images without CORS (e.g. in model output) from loading at all.
 */
function isolated(response) {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) {
    return response;
  }
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

async function cacheFirst(cacheName, request) {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

/** Pages: the network first, so a new build shows up; the cached shell when offline. */
async function page(request) {
  const cache = await caches.open(SHELL);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const hit =
      (await cache.match(request, { ignoreSearch: true })) ??
      (await cache.match(new URL('./', self.registration.scope).href)) ??
      (await cache.match(new URL('./index.html', self.registration.scope).href));
    if (hit) return hit;
    throw error;
  }
}

// Pyodide package files fetched from the package index (CDN or self-hosted), by their file kind.
const PACKAGE_FILE = /\.(whl|zip|tar|tgz|wasm|so)$|pyodide-lock\.json$/;

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.href.startsWith(self.registration.scope)) {
    event.respondWith(
      (request.mode === 'navigate' ? page(request) : cacheFirst(SHELL, request)).then(isolated),
    );
  } else if (PACKAGE_FILE.test(url.pathname)) {
    event.respondWith(cacheFirst(PACKAGES, request));
  }
});
