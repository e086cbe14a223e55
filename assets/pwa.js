// Installable app for consultants' phones: registers the service worker and, while the tab is
// in the background, shows a notification when the count of conversations assigned to this
// consultant grows. The count and its text (already translated) come from a hidden element
// the page shell renders from the live badge (#sc-assigned); nothing else is polled.
(() => {
  if (!("serviceWorker" in navigator)) return;
  const ready = navigator.serviceWorker.register("/sw.js", {scope: "/"})
    .then(() => navigator.serviceWorker.ready)
    .catch(() => null);

  // Browsers allow the permission prompt only after a gesture: ask at the first one.
  const ask = () => {
    if (window.Notification && Notification.permission === "default") {
      Notification.requestPermission().catch(() => {});
    }
    document.removeEventListener("pointerdown", ask, true);
  };
  document.addEventListener("pointerdown", ask, true);

  let last = null;
  const check = async () => {
    const node = document.getElementById("sc-assigned");
    if (!node) { last = null; return; }  // signed out or still loading
    const count = Number(node.dataset.count || 0);
    const grew = last !== null && count > last;
    last = count;
    if (!grew || document.visibilityState !== "hidden") return;
    if (!window.Notification || Notification.permission !== "granted") return;
    const registration = await ready;
    if (!registration) return;
    registration.showNotification(node.dataset.title || "SmarterChat", {
      body: node.dataset.body || "", tag: "smarterchat-assigned", renotify: true,
      icon: "/icons/icon-192.png", badge: "/icons/icon-192.png", data: {url: "/inbox"},
    });
  };
  new MutationObserver(check).observe(document.documentElement, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-count"],
  });
})();
