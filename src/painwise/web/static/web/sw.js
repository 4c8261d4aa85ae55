// painwise service worker: keeps the diary page and its scripts available offline so quick entry
// works without a connection (entries wait in IndexedDB; static/web/offline.js sends them later).
// Served from /sw.js so its scope is the whole site. Only the diary home page is kept: other pages
// with health data are never cached.
"use strict";
var CACHE = "painwise-shell-v1";
var SHELL = [
  "/static/web/app.css", "/static/web/app.js", "/static/web/offline.js",
  "/static/django_htmx/htmx-2.min.js", "/static/web/favicon.svg", "/static/web/icon-192.png"
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== CACHE; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }  // writes go to the network (or the offline queue)
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    // Network first; the diary home page is kept for offline use.
    event.respondWith(fetch(request).then(function (response) {
      if (url.pathname === "/" && response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put("/", copy); });
      }
      return response;
    }).catch(function () {
      return caches.match("/").then(function (cached) { return cached || Response.error(); });
    }));
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request).then(function (cached) { return cached || fetch(request); }));
  }
});
