// SmarterChat's service worker: makes the app installable, keeps hashed assets for offline
// starts, and opens the inbox when a notification is clicked. Pages and the API always go to
// the network: the inbox is live data, and an old page must never outlive a release.
const ASSETS = "smarterchat-assets-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== ASSETS) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  // Hashed file names never change content: cache first, then the network.
  if (event.request.method !== "GET" || url.origin !== self.location.origin
      || !url.pathname.startsWith("/assets/")) return;
  event.respondWith((async () => {
    const cache = await caches.open(ASSETS);
    const hit = await cache.match(event.request);
    if (hit) return hit;
    const answer = await fetch(event.request);
    if (answer.ok) cache.put(event.request, answer.clone());
    return answer;
  })());
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = (event.notification.data && event.notification.data.url) || "/inbox";
  event.waitUntil((async () => {
    const open = await self.clients.matchAll({type: "window", includeUncontrolled: true});
    for (const client of open) {
      if ("focus" in client) {
        await client.focus();
        if ("navigate" in client) await client.navigate(target);
        return;
      }
    }
    await self.clients.openWindow(target);
  })());
});
