// A tiny static file server for a built site, on 127.0.0.1 and a port the system picks.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml",
};

async function fileFor(root, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const full = normalize(join(root, path));
  if (full !== root && !full.startsWith(root + sep)) {
    return null;
  }
  try {
    const s = await stat(full);
    if (s.isDirectory()) {
      if (!urlPath.endsWith("/")) {
        return { redirect: `${urlPath}/` };
      }
      const index = join(full, "index.html");
      return (await stat(index)).isFile() ? { path: index } : null;
    }
    return s.isFile() ? { path: full } : null;
  } catch {
    return null;
  }
}

/** Serve `root`. Resolves to `{ url, close }` once listening; `url` ends with `/`. */
export function serve(root) {
  root = normalize(root);
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, "http://127.0.0.1");
    const found = await fileFor(root, pathname);
    if (found?.redirect) {
      res.writeHead(301, { location: found.redirect });
      res.end();
      return;
    }
    if (!found) {
      // The site's own not-found page, as a static host would serve it.
      try {
        const body = await readFile(join(root, "404.html"));
        res.writeHead(404, { "content-type": TYPES[".html"] });
        res.end(req.method === "HEAD" ? undefined : body);
      } catch {
        res.writeHead(404, { "content-type": TYPES[".txt"] });
        res.end("not found");
      }
      return;
    }
    const body = await readFile(found.path);
    res.writeHead(200, {
      "content-type": TYPES[extname(found.path)] ?? "application/octet-stream",
      "cache-control": "no-store",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}/`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
