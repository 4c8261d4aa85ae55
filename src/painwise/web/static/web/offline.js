// Offline quick entry. When the device is offline (or the request cannot reach the server), a quick-
// entry form is kept in IndexedDB with a client-generated id instead of being lost, and sent when the
// connection returns. The server stores each id once (a retried sync answers "duplicate"); an id
// already stored with other values is a conflict, kept here and shown, never overwritten.
(function () {
  "use strict";
  if (!window.indexedDB || !window.fetch) { return; }
  var DB = "painwise-offline", STORE = "entries";
  var flushing = false;

  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "id" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function withStore(mode, action) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var req = action(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(req ? req.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function localNow() {
    var d = new Date(), p = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + "T" + p(d.getHours()) + ":" + p(d.getMinutes());
  }
  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function status(text) {
    var box = document.getElementById("offline-status");
    if (!box) { return; }
    box.textContent = text;
    box.hidden = !text;
  }
  function describe() {
    return withStore("readonly", function (s) { return s.getAll(); }).then(function (items) {
      items = items || [];
      var waiting = items.filter(function (i) { return !i.problem; }).length;
      var problems = items.filter(function (i) { return i.problem; });
      var parts = [];
      if (waiting) { parts.push(waiting + " entr" + (waiting === 1 ? "y" : "ies") + " saved on this device, waiting to be sent."); }
      problems.forEach(function (i) { parts.push("Not sent (" + i.label + ", " + i.when + "): " + i.problem); });
      status(parts.join(" "));
      return items;
    });
  }

  function queue(form) {
    var data = new FormData(form);
    data.delete("csrfmiddlewaretoken");  // a fresh token is sent with the sync
    if (!data.get("occurred_at")) { data.set("occurred_at", localNow()); }  // the time it happened, not the sync time
    var id = newId();
    data.set("client_id", id);
    var label = (form.querySelector("button[type=submit]") || {}).textContent || "entry";
    var entry = { id: id, url: form.action, body: new URLSearchParams(data).toString(), label: label.replace(/^Save /, "").trim(), when: data.get("occurred_at").replace("T", " "), problem: "" };
    return withStore("readwrite", function (s) { return s.put(entry); }).then(function () {
      form.reset();
      return describe();
    });
  }

  function send(entry) {
    return fetch(entry.url, {
      method: "POST", body: entry.body, credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": csrfToken(), "X-Painwise-Sync": "1" }
    }).then(function (response) {
      if (response.status === 200 || response.status === 201) {
        return withStore("readwrite", function (s) { return s.delete(entry.id); }).then(function () { return true; });
      }
      if (response.status === 409 || response.status === 422) {
        return response.json().then(function (answer) {
          entry.problem = answer.message || Object.keys(answer.errors || {}).map(function (k) { return answer.errors[k].join(" "); }).join(" ") || "the server refused it";
          return withStore("readwrite", function (s) { return s.put(entry); }).then(function () { return true; });
        });
      }
      return false;  // signed out, server error: keep it and try again later
    });
  }

  function flush() {
    if (flushing || !navigator.onLine) { return Promise.resolve(); }
    flushing = true;
    return withStore("readonly", function (s) { return s.getAll(); }).then(function (items) {
      var pending = (items || []).filter(function (i) { return !i.problem; });
      return pending.reduce(function (chain, entry) {
        return chain.then(function (go) { return go ? send(entry) : false; });
      }, Promise.resolve(true));
    }).catch(function () { return false; }).then(function () {
      flushing = false;
      return describe();
    });
  }
  window.painwiseOffline = { flush: flush, pending: function () { return withStore("readonly", function (s) { return s.getAll(); }); } };

  // Offline: keep the entry here instead of letting the request fail (runs before htmx's handler).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("entry-form") || navigator.onLine) { return; }
    event.preventDefault();
    event.stopPropagation();
    queue(form);
  }, true);
  // Online but the request never reached the server: keep it too.
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt;
    if (form && form.classList && form.classList.contains("entry-form")) { queue(form); }
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { status("You are offline: entries are kept on this device and sent when you are back online."); });
  if ("serviceWorker" in navigator) { navigator.serviceWorker.register("/sw.js").catch(function () {}); }
  flush();
  setInterval(flush, 30000);
})();
