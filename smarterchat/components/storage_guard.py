"""A script for every page's <head>: browsers that block storage in third-party frames
(Chrome or Brave with third-party cookies blocked, some privacy modes) throw on any
use of localStorage or sessionStorage, and Reflex's own start-up code uses both. The
web chat is meant to be embedded in other sites, so there it gets an in-memory stand-in:
the chat works, and only forgets its visitor when the frame is closed."""

from __future__ import annotations

import reflex as rx

STORAGE_GUARD = """(function () {
  function memory() {
    var data = {};
    return {
      getItem: function (k) { return Object.prototype.hasOwnProperty.call(data, k) ? data[k] : null; },
      setItem: function (k, v) { data[k] = String(v); },
      removeItem: function (k) { delete data[k]; },
      clear: function () { data = {}; },
      key: function (i) { var keys = Object.keys(data); return i < keys.length ? keys[i] : null; },
      get length() { return Object.keys(data).length; }
    };
  }
  ["localStorage", "sessionStorage"].forEach(function (name) {
    try { window[name].getItem("sc"); } catch (e) {
      try { Object.defineProperty(window, name, { value: memory(), configurable: true }); }
      catch (ignored) {}
    }
  });
})();"""


def storage_guard() -> rx.Component:
    return rx.script(STORAGE_GUARD)
