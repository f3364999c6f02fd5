/* audiogen's service worker. It keeps the player's shell (the show's page, styles, scripts,
   icons) when installed, so that the installed app opens with no network; pages come from the
   network when there is one, from the device when not. Everything else is answered from what
   the device holds first: the shell and the episodes the listener kept (device.js stores them),
   byte ranges included, so that a kept episode plays and seeks offline. */
"use strict";
const SHELL_FILES = {{ shell | tojson }};
const PREFIX = `audiogen ${self.registration.scope} `;
const SHELL = `${PREFIX}shell {{ version }}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(`${PREFIX}shell `) && name !== SHELL) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(request.mode === "navigate" ? networkFirst(request) : deviceFirst(request));
});

function held(request) {
  return caches.match(request, { ignoreSearch: true, ignoreVary: true });
}

/* A page from the network, whose copy on the device (if there is one) is refreshed. */
async function networkFirst(request) {
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const copy = await held(request);
    if (copy) return copy;
    throw error;
  }
  if (response.ok) await refreshCopies(request, response);
  return response;
}

async function refreshCopies(request, response) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX)) continue;
    const cache = await caches.open(name);
    if (await cache.match(request, { ignoreSearch: true })) await cache.put(request, response.clone());
  }
}

async function deviceFirst(request) {
  const copy = await held(request);
  if (!copy) return fetch(request);
  const range = request.headers.get("range");
  return range ? partial(copy, range) : copy;
}

/* A 206 for a single byte range of a held response, as a server would give; a range of
   another form gets the whole response, which HTTP allows. */
async function partial(response, range) {
  const body = await response.blob();
  const size = body.size;
  const bounds = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!bounds || (!bounds[1] && !bounds[2])) return response;
  const start = bounds[1] ? parseInt(bounds[1], 10) : Math.max(size - parseInt(bounds[2], 10), 0);
  const end = bounds[1] && bounds[2] ? Math.min(parseInt(bounds[2], 10), size - 1) : size - 1;
  if (start >= size || start > end) {
    return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${size}` } });
  }
  return new Response(body.slice(start, end + 1), {
    status: 206,
    statusText: "Partial Content",
    headers: {
      "Content-Type": response.headers.get("Content-Type") || body.type,
      "Content-Length": String(end - start + 1),
      "Content-Range": `bytes ${start}-${end}/${size}`,
      "Accept-Ranges": "bytes",
    },
  });
}
