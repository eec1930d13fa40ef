(() => {
  // boardpack live reload: injected by `boardpack serve`, never present in built sites.
  const here = () => location.pathname.replace(/index\.html$/, "");
  const overlayId = "boardpack-error-overlay";
  const es = new EventSource("/__boardpack/events");
  es.addEventListener("reload", (e) => {
    const d = JSON.parse(e.data);
    const p = here();
    if (d.all || d.paths.includes(p) || d.paths.includes(p + "index.html") || document.getElementById(overlayId)) {
      location.reload();
    }
  });
  es.addEventListener("css", (e) => {
    const d = JSON.parse(e.data);
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.pathname.startsWith("/css/") && d.href) {
        const next = link.cloneNode();
        next.href = d.href;
        next.onload = () => link.remove();
        link.after(next);
      }
    }
  });
  es.addEventListener("build-error", (e) => {
    let box = document.getElementById(overlayId);
    if (!box) {
      box = document.createElement("div");
      box.id = overlayId;
      document.body.append(box);
    }
    box.outerHTML = JSON.parse(e.data).html;
  });
  es.addEventListener("ok", () => {
    if (document.getElementById(overlayId)) location.reload();
  });
})();
