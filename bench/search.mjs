// Search as a reader experiences it: bytes, seconds and memory from opening the search page to
// the first result, on generated corpora, in headless Chromium on a throttled line.
//
//   node bench/search.mjs --bin BOARDPACK --gen GEN_CORPUS [--sizes 1000,10000] [options]
//   node bench/search.mjs --site OUTPUT_DIR [options]     (measure a site already built)
//
// scripts/bench-search builds the binaries and runs this; `--help` lists the options. For each
// size it generates a corpus (examples/gen_corpus.rs), builds it with `build --no-pdf` under GNU
// time (wall, CPU and peak RSS: the build's cost), serves the output on loopback with gzip for
// the types a host would compress (files it does not know, such as pagefind's own chunks, which
// are already gzip-compressed, go out as they are), and opens `/search/?q=…` once per query in a
// new browser context with the cache disabled and, unless --no-throttle, CDP network
// throttling (150 ms latency, 1.6 Mbit/s down, 750 kbit/s up).
//
// It relies only on the search page's DOM contract, which the old and new pages both keep: the
// page runs the query in `?q=` on load; status text is in `[data-bp-search-status]`; results
// are `[data-bp-search-results] > li`, each with a link; a paged page has a
// `[data-bp-search-more]` button and filter `<select>`s named period, programme and kind in
// `[data-bp-search-form]`, which the URL may carry as `&period=…`.
//
// This is a benchmark, not a test: it prints what it measured and the bounds of issue 19 beside
// it, and fails only when it cannot measure.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { open, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { basename, extname, join, normalize, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";

import { launch, newContext } from "../tests/browser/lib/browser.js";

// ---- The line and the bounds (issue 19) --------------------------------------------------------
const LINE = { latencyMs: 150, downBitsPerS: 1.6e6, upBitsPerS: 750e3 };
const BOUNDS = { bytesToFirst: 300e3, secondsToFirst: 3, heapBytes: 30e6 };

const HELP = `Usage: node bench/search.mjs [options]

  --bin PATH          the boardpack binary to build with (default:
                      release/boardpack in $CARGO_TARGET_DIR, or else in target/)
  --gen PATH          the gen_corpus example (default: beside it, examples/gen_corpus)
  --sizes LIST        corpus sizes, comma-separated (default 1000,10000; add 100000 when asked)
  --site DIR          measure this built site instead of generating and building corpora
  --queries LIST      name=words pairs, comma-separated (default all=progress,rare=braille);
                      "all" should match every report, "rare" one page
  --filter-query W    words of the filtered query, run when the page offers a period,
                      programme or kind filter (default: progress)
  --no-throttle       loopback speed instead of the throttled line
  --no-gzip           send every file as it is, as a host that compresses nothing would
  --timeout S         the longest one page load may take to its first result (default 600)
  --build-runs N      build each corpus N times and report the median (default 1)
  --label TEXT        what is measured, e.g. "before" or "after (pagefind)" (default: the
                      boardpack version and commit)
  --work DIR          where corpora and outputs go (default: a new folder in $TMPDIR, removed
                      at the end); an existing corpus there is reused
  --keep              keep the corpora and outputs
  --json FILE         also write every figure, and every request, as JSON
  --out FILE          also write the Markdown report there
  -h, --help          this text`;

function fail(message) {
  console.error(`bench-search: ${message}`);
  process.exit(2);
}

function log(message) {
  console.error(`bench-search: ${message}`);
}

function options() {
  const { values } = parseArgs({
    options: {
      bin: { type: "string" },
      gen: { type: "string" },
      sizes: { type: "string", default: "1000,10000" },
      site: { type: "string" },
      queries: { type: "string", default: "all=progress,rare=braille" },
      "filter-query": { type: "string", default: "progress" },
      "no-throttle": { type: "boolean", default: false },
      "no-gzip": { type: "boolean", default: false },
      timeout: { type: "string", default: "600" },
      "build-runs": { type: "string", default: "1" },
      label: { type: "string" },
      work: { type: "string" },
      keep: { type: "boolean", default: false },
      json: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const target = resolve(process.env.CARGO_TARGET_DIR || join(import.meta.dirname, "..", "target"));
  const bin = resolve(values.bin || join(target, "release", "boardpack"));
  const gen = resolve(values.gen || join(bin, "..", "examples", "gen_corpus"));
  const sizes = values.sizes.split(",").map((s) => s.trim()).filter(Boolean).map((s) => {
    if (!/^[1-9][0-9]*$/.test(s)) {
      fail(`--sizes: "${s}" is not a number of reports`);
    }
    return Number(s);
  });
  const queries = values.queries.split(",").map((pair) => {
    const at = pair.indexOf("=");
    if (at <= 0 || !pair.slice(at + 1).trim()) {
      fail(`--queries: "${pair}" is not name=words`);
    }
    return { name: pair.slice(0, at).trim(), words: pair.slice(at + 1).trim() };
  });
  const number = (name, min) => {
    const n = Number(values[name]);
    if (!Number.isFinite(n) || n < min) {
      fail(`--${name}: "${values[name]}" is not a number of at least ${min}`);
    }
    return n;
  };
  if (!values.site) {
    for (const [what, path] of [["boardpack binary", bin], ["gen_corpus example", gen]]) {
      if (!existsSync(path)) {
        fail(`no ${what} at ${path}: run scripts/bench-search, or pass --bin and --gen`);
      }
    }
  } else if (!existsSync(join(values.site, "search"))) {
    fail(`--site ${values.site}: no search/ folder there; pass a built site's output folder`);
  }
  return {
    bin,
    gen,
    sizes,
    site: values.site ? resolve(values.site) : null,
    queries,
    filterWords: values["filter-query"],
    throttle: !values["no-throttle"],
    gzip: !values["no-gzip"],
    timeoutMs: number("timeout", 1) * 1000,
    buildRuns: Math.floor(number("build-runs", 1)),
    label: values.label,
    work: values.work ? resolve(values.work) : null,
    keep: values.keep || Boolean(values.work),
    json: values.json,
    out: values.out,
  };
}

// ---- Corpora and builds ---------------------------------------------------------------------

function run(command, args, opts = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 << 20, ...opts });
  if (result.error) {
    fail(`${command}: ${result.error.message}`);
  }
  return result;
}

function generate(gen, dir, n) {
  if (existsSync(join(dir, "boardpack.toml"))) {
    log(`reusing the corpus in ${dir}`);
    return;
  }
  log(`generating ${n} reports in ${dir}`);
  const r = run(gen, [dir, String(n)]);
  if (r.status !== 0) {
    fail(`gen_corpus ${dir} ${n} failed (exit ${r.status}):\n${r.stderr}`);
  }
}

/** GNU time's -v report: wall seconds, CPU seconds and peak RSS in bytes. */
function parseTimeV(text) {
  const field = (label) => {
    const line = text.split("\n").find((l) => l.trim().startsWith(label));
    return line ? line.slice(line.lastIndexOf(": ") + 2).trim() : null;
  };
  const wall = field("Elapsed (wall clock) time");
  let wallS = null;
  if (wall) {
    // h:mm:ss or m:ss.ss
    wallS = wall.split(":").reduce((acc, part) => acc * 60 + Number(part), 0);
  }
  return {
    wallS,
    cpuS: Number(field("User time (seconds)")) + Number(field("System time (seconds)")),
    maxRssBytes: Number(field("Maximum resident set size (kbytes)")) * 1024,
  };
}

function filesUnder(dir) {
  const out = [];
  if (!existsSync(dir)) {
    return out;
  }
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...filesUnder(path));
    } else if (entry.isFile()) {
      out.push({ path, bytes: statSync(path).size });
    }
  }
  return out;
}

/** What the search costs on disk: every file under the output's search/ and pagefind/. */
function searchFiles(output) {
  const files = ["search", "pagefind"].flatMap((d) => filesUnder(join(output, d)));
  const sorted = [...files].sort((a, b) => b.bytes - a.bytes);
  return {
    files: files.length,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    largest: sorted[0] ? { path: sorted[0].path.slice(output.length + 1), bytes: sorted[0].bytes } : null,
  };
}

function build(bin, site, output, runs) {
  const timeBin = "/usr/bin/time";
  if (!existsSync(timeBin)) {
    fail("GNU time (/usr/bin/time) is missing: apt-get install time");
  }
  const all = [];
  for (let i = 0; i < runs; i++) {
    rmSync(output, { recursive: true, force: true });
    log(`building ${site} (--no-pdf), run ${i + 1} of ${runs}`);
    const r = run(timeBin, ["-v", bin, "-q", "--color", "never", "--root", site, "build", "--no-pdf", "--output", output]);
    if (r.status !== 0) {
      fail(`the build of ${site} failed (exit ${r.status}):\n${r.stderr.slice(-4000)}`);
    }
    all.push(parseTimeV(r.stderr));
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  return {
    runs: all,
    wallS: median(all.map((r) => r.wallS)),
    cpuS: median(all.map((r) => r.cpuS)),
    maxRssBytes: Math.max(...all.map((r) => r.maxRssBytes)),
    outputFiles: filesUnder(output).length,
    search: searchFiles(output),
  };
}

// ---- A static host: gzip where a host would, and a count of the bytes it sent ----------------

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".pdf": "application/pdf",
};
/** The types a host compresses. Anything else, pagefind's .pf_* chunks and its
 * .pagefind wasm among them (gzip-compressed by pagefind already), is sent as it is. */
const COMPRESSIBLE = new Set([".html", ".css", ".js", ".mjs", ".json", ".csv", ".svg", ".xml", ".txt", ".webmanifest", ".wasm"]);

function resolveFile(root, urlPath) {
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
  return full;
}

/** Serve `root` on 127.0.0.1. `sent()` is every byte written to every connection so far,
 * headers included, as `encodedDataLength` counts them. */
async function host(root, { gzip }) {
  const gzipped = new Map(); // path -> { key, body }
  // The line, emulated here rather than by CDP: CDP's Network.emulateNetworkConditions slows
  // only the page's own requests, and pagefind fetches its index from a Web Worker, whose
  // requests would go at loopback speed. Each response waits one round trip, then every
  // response's bytes share one line of LINE.downBitsPerS. `setLine(false)` for loopback.
  let line = false;
  let lineFree = 0;
  const paced = async (res, body) => {
    const chunk = 8192;
    for (let at = 0; at < body.length; at += chunk) {
      const part = body.subarray(at, Math.min(at + chunk, body.length));
      const now = Date.now();
      lineFree = Math.max(lineFree, now) + (part.length * 8 * 1000) / LINE.downBitsPerS;
      if (lineFree > now) {
        await sleep(lineFree - now);
      }
      if (!res.write(part)) {
        await new Promise((done) => res.once("drain", done));
      }
    }
    res.end();
  };
  const sockets = new Set();
  let closedBytes = 0;
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, "http://127.0.0.1");
    let full = resolveFile(root, pathname);
    let code = 200;
    let info = full && (await stat(full).catch(() => null));
    if (info?.isDirectory()) {
      if (!pathname.endsWith("/")) {
        res.writeHead(301, { location: `${pathname}/` });
        res.end();
        return;
      }
      full = join(full, "index.html");
      info = await stat(full).catch(() => null);
    }
    if (!info?.isFile()) {
      code = 404;
      full = join(root, "404.html");
      info = await stat(full).catch(() => null);
      if (!info?.isFile()) {
        res.writeHead(404, { "content-type": TYPES[".txt"] });
        res.end("not found");
        return;
      }
    }
    const ext = extname(full);
    const headers = {
      "content-type": TYPES[ext] ?? "application/octet-stream",
      "cache-control": "no-store",
      vary: "accept-encoding",
    };
    let body;
    const handle = await open(full);
    try {
      body = await handle.readFile();
    } finally {
      await handle.close();
    }
    if (gzip && COMPRESSIBLE.has(ext) && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "")) {
      const key = `${info.size}:${info.mtimeMs}:${createHash("sha1").update(body).digest("hex")}`;
      let cached = gzipped.get(full);
      if (cached?.key !== key) {
        cached = { key, body: gzipSync(body) };
        gzipped.set(full, cached);
      }
      body = cached.body;
      headers["content-encoding"] = "gzip";
    }
    headers["content-length"] = body.length;
    // Cross-origin isolation lets the page measure its workers' memory too
    // (performance.measureUserAgentSpecificMemory); everything here is same-origin.
    headers["cross-origin-opener-policy"] = "same-origin";
    headers["cross-origin-embedder-policy"] = "require-corp";
    if (line && req.method !== "HEAD") {
      await sleep(LINE.latencyMs);
      res.writeHead(code, headers);
      await paced(res, body);
      return;
    }
    res.writeHead(code, headers);
    res.end(req.method === "HEAD" ? undefined : body);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => {
      closedBytes += socket.bytesWritten;
      sockets.delete(socket);
    });
  });
  await new Promise((done, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", done);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    sent: () => [...sockets].reduce((s, k) => s + k.bytesWritten, closedBytes),
    setLine: (on) => {
      line = on;
    },
    close: () => {
      for (const s of sockets) {
        s.destroy();
      }
      return new Promise((done) => server.close(() => done()));
    },
  };
}

// ---- One page load, measured ----------------------------------------------------------------

/** Runs in the page before its own scripts: notes when a status text is first visible and when
 * the first result link is, then reports the time after the frame that paints it. */
function watchPage() {
  const state = { statusMs: null, statusText: null, texts: [], firstDomMs: null, firstMs: null, first: null };
  window.__bpBench = state;
  const visible = (el) => (el.checkVisibility ? el.checkVisibility() : el.getClientRects().length > 0);
  const check = () => {
    if (state.firstDomMs !== null) {
      return;
    }
    const now = performance.now();
    const status = document.querySelector("[data-bp-search-status]");
    const text = status ? status.textContent.trim() : "";
    if (text && visible(status)) {
      if (state.statusMs === null) {
        state.statusMs = now;
        state.statusText = text;
      }
      if (state.texts.length < 10 && state.texts[state.texts.length - 1] !== text) {
        state.texts.push(text);
      }
    }
    for (const a of document.querySelectorAll("[data-bp-search-results] > li a")) {
      if (visible(a)) {
        state.firstDomMs = now;
        state.first = { text: a.textContent.trim().slice(0, 120), href: a.getAttribute("href") };
        // The frame that shows it, then the task after that frame.
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            state.firstMs = performance.now();
            window.__bpBenchFirst?.();
          };
          channel.port2.postMessage(null);
        });
        return;
      }
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
}

/** State of the results once the page is quiet. */
function resultsNow() {
  const list = document.querySelector("[data-bp-search-results]");
  const status = document.querySelector("[data-bp-search-status]");
  const more = document.querySelector("[data-bp-search-more]");
  const form = document.querySelector("[data-bp-search-form]");
  const filters = {};
  for (const name of ["period", "programme", "kind"]) {
    const select = form?.querySelector(`select[name="${name}"]`);
    if (select) {
      filters[name] = [...select.options].map((o) => o.value).filter(Boolean);
    }
  }
  return {
    shown: list ? list.querySelectorAll(":scope > li").length : 0,
    status: status ? status.textContent.trim() : null,
    more: Boolean(more && (more.checkVisibility ? more.checkVisibility() : more.getClientRects().length)),
    elements: document.getElementsByTagName("*").length,
    filters,
  };
}

function cdpNetwork(cdp) {
  const requests = new Map();
  let finishedBytes = 0;
  let lastActivity = Date.now();
  cdp.on("Network.requestWillBeSent", (e) => {
    lastActivity = Date.now();
    const prior = requests.get(e.requestId);
    if (prior) {
      prior.url = e.request.url; // a redirect: the same id goes on
      return;
    }
    requests.set(e.requestId, { url: e.request.url, type: e.type, done: false, bytes: 0, status: null, encoding: null });
  });
  cdp.on("Network.responseReceived", (e) => {
    lastActivity = Date.now();
    const r = requests.get(e.requestId);
    if (r) {
      r.status = e.response.status;
      const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
      r.encoding = headers["content-encoding"] ?? null;
    }
  });
  cdp.on("Network.dataReceived", () => {
    lastActivity = Date.now();
  });
  cdp.on("Network.loadingFinished", (e) => {
    lastActivity = Date.now();
    const r = requests.get(e.requestId);
    if (r && !r.done) {
      r.done = true;
      r.bytes = e.encodedDataLength;
      finishedBytes += e.encodedDataLength;
    }
  });
  cdp.on("Network.loadingFailed", (e) => {
    lastActivity = Date.now();
    const r = requests.get(e.requestId);
    if (r) {
      r.done = true;
      r.failed = e.errorText;
    }
  });
  return {
    finishedBytes: () => finishedBytes,
    inFlight: () => [...requests.values()].filter((r) => !r.done).length,
    count: () => requests.size,
    quietForMs: () => Date.now() - lastActivity,
    list: () => [...requests.values()],
  };
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Wait until no request has been in flight, and nothing has moved, for `quietMs`. */
async function networkIdle(net, quietMs, deadline) {
  while (Date.now() < deadline) {
    // A request Chromium reports as sent but never as finished (pagefind's worker asks for
    // files the page's session does not see finish) must not hold the wait to the deadline:
    // after 5 s with nothing on the network, the network is idle.
    if (net.quietForMs() >= quietMs && (net.inFlight() === 0 || net.quietForMs() >= 5000)) {
      return true;
    }
    await sleep(100);
  }
  return false;
}

/** Resolves to "empty" once the page has finished without showing a result: nothing on the
 * network for 5 s, the page's main thread free to answer, a status text and no result. A page
 * still parsing a large index is busy and does not answer in time, so it is not taken for one
 * that found nothing. Resolves to "timeout" at the deadline. */
async function settledEmpty(page, net, deadline, stopped) {
  while (!stopped() && Date.now() < deadline) {
    await sleep(1000);
    if (stopped() || net.inFlight() > 0 || net.quietForMs() < 5000) {
      continue;
    }
    const answer = await Promise.race([
      page
        .evaluate(() => ({
          results: document.querySelectorAll("[data-bp-search-results] > li").length,
          status: document.querySelector("[data-bp-search-status]")?.textContent.trim() ?? "",
        }))
        .catch(() => null),
      sleep(1000).then(() => null),
    ]);
    if (answer && answer.results === 0 && answer.status) {
      return "empty";
    }
  }
  return stopped() ? "result" : "timeout";
}

async function measurePage(browser, server, path, { throttle, timeoutMs }) {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    server.setLine(Boolean(throttle));
    await cdp.send("Performance.enable");
    await cdp.send("HeapProfiler.enable");
    const net = cdpNetwork(cdp);
    let atFirst = null;
    let reached;
    const firstShown = new Promise((done) => {
      reached = done;
    });
    await page.exposeFunction("__bpBenchFirst", () => {
      atFirst ??= { bytes: net.finishedBytes(), serverBytes: server.sent(), inFlight: net.inFlight(), requests: net.count() };
      reached();
    });
    await page.addInitScript(watchPage);

    const started = Date.now();
    const deadline = started + timeoutMs;
    const serverBefore = server.sent();
    const url = new URL(path, server.url).toString();
    // The first result, not the load event, is the end: an old page may parse for minutes.
    page.goto(url, { waitUntil: "commit", timeout: timeoutMs }).catch(() => {});
    let stop = false;
    const ended = await Promise.race([
      firstShown.then(() => "result"),
      settledEmpty(page, net, deadline, () => stop),
    ]);
    stop = true;
    const timedOut = ended === "timeout";
    const watched = await page.evaluate(() => window.__bpBench).catch(() => null);
    const result = {
      path,
      throttled: throttle,
      timedOut,
      noResult: ended === "empty",
      secondsToFirst: ended === "result" && watched?.firstMs != null ? watched.firstMs / 1000 : null,
      secondsToFirstInDom: ended === "result" && watched?.firstDomMs != null ? watched.firstDomMs / 1000 : null,
      // What the host sent, worker's requests included (the page's CDP session sees only the
      // page's own: pageBytesToFirst).
      bytesToFirst: atFirst ? atFirst.serverBytes - serverBefore : null,
      pageBytesToFirst: atFirst ? atFirst.bytes : null,
      serverBytesToFirst: atFirst ? atFirst.serverBytes - serverBefore : null,
      requestsToFirst: atFirst?.requests ?? null,
      inFlightAtFirst: atFirst?.inFlight ?? null,
      progressBeforeFirst: Boolean(watched && watched.statusMs !== null && (watched.firstDomMs === null || watched.statusMs < watched.firstDomMs)),
      secondsToStatus: watched?.statusMs != null ? watched.statusMs / 1000 : null,
      statusTexts: watched?.texts ?? [],
      first: watched?.first ?? null,
    };
    // Whatever the page still loads for the results it shows.
    const idle = await networkIdle(net, 1500, Math.max(deadline, Date.now() + 60_000));
    result.networkIdle = idle;
    result.bytesTotal = server.sent() - serverBefore;
    result.pageBytesTotal = net.finishedBytes();
    result.serverBytesTotal = server.sent() - serverBefore;
    result.requests = net.count();
    result.after = await page.evaluate(resultsNow).catch(() => null);
    await cdp.send("HeapProfiler.collectGarbage");
    const metrics = Object.fromEntries((await cdp.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
    result.pageHeapUsedBytes = metrics.JSHeapUsedSize ?? null;
    // The page and its workers (pagefind searches in one): measureUserAgentSpecificMemory
    // needs cross-origin isolation, which the host gives. Fall back to the page's own heap.
    const all = await page
      .evaluate(async () => (self.crossOriginIsolated && performance.measureUserAgentSpecificMemory ? (await performance.measureUserAgentSpecificMemory()).bytes : null))
      .catch(() => null);
    result.heapWithWorkers = all != null;
    result.heapUsedBytes = all ?? metrics.JSHeapUsedSize ?? null;
    result.heapTotalBytes = metrics.JSHeapTotalSize ?? null;
    result.domNodes = metrics.Nodes ?? null;
    result.effectiveBitsPerS = result.secondsToFirst && result.bytesToFirst ? (result.bytesToFirst * 8) / result.secondsToFirst : null;

    // A paged page: what the next page of results costs.
    if (result.after?.more) {
      const before = result.after.shown;
      const bytesBefore = net.finishedBytes();
      const t0 = Date.now();
      await page.locator("[data-bp-search-more]").first().click({ timeout: 30_000 }).catch(() => {});
      const grew = await page
        .waitForFunction((n) => document.querySelectorAll("[data-bp-search-results] > li").length > n, before, { timeout: 120_000, polling: 50 })
        .then(() => true, () => false);
      const seconds = (Date.now() - t0) / 1000;
      await networkIdle(net, 1500, Date.now() + 60_000);
      result.more = {
        grew,
        seconds: grew ? seconds : null,
        bytes: net.finishedBytes() - bytesBefore,
        shown: await page.evaluate(() => document.querySelectorAll("[data-bp-search-results] > li").length),
      };
    }
    result.requestList = net.list().map((r) => ({ url: r.url.replace(server.url, "/"), done: r.done, status: r.status, bytes: r.bytes, encoding: r.encoding, failed: r.failed }));
    return result;
  } finally {
    await context.close();
  }
}

function searchPath(words, extra = {}) {
  const params = new URLSearchParams({ q: words, ...extra });
  return `search/?${params.toString()}`;
}

async function measureSite(browser, output, opts) {
  const server = await host(output, opts);
  try {
    // Warm the host's gzip cache and the disk cache, unthrottled, so the first measured load
    // does not pay for compressing a large index once.
    log(`warm-up: ${opts.queries[0].words}`);
    await measurePage(browser, server, searchPath(opts.queries[0].words), { throttle: false, timeoutMs: opts.timeoutMs });
    const loads = [];
    let filters = null;
    for (const q of opts.queries) {
      log(`${q.name}: /${searchPath(q.words)} (${opts.throttle ? "throttled" : "loopback"})`);
      const r = await measurePage(browser, server, searchPath(q.words), opts);
      loads.push({ query: q.name, words: q.words, ...r });
      log(`  ${describeLoad(r)}`);
      filters ??= r.after && Object.keys(r.after.filters).length ? r.after.filters : null;
    }
    if (filters) {
      const [name, values] = Object.entries(filters).find(([, v]) => v.length) ?? [];
      if (name) {
        const path = searchPath(opts.filterWords, { [name]: values[0] });
        log(`filtered: /${path}`);
        const r = await measurePage(browser, server, path, opts);
        loads.push({ query: `filtered (${name})`, words: opts.filterWords, filter: { [name]: values[0] }, ...r });
        log(`  ${describeLoad(r)}`);
      }
    } else {
      loads.push({ query: "filtered", words: opts.filterWords, notOffered: true });
      log("filtered: the page offers no period, programme or kind filter");
    }
    return loads;
  } finally {
    await server.close();
  }
}

// ---- Report ---------------------------------------------------------------------------------

const kb = (b) => (b == null ? "–" : (b / 1000).toLocaleString("en-GB", { maximumFractionDigits: b < 1e6 ? 1 : 0 }));
const mb = (b) => (b == null ? "–" : (b / 1e6).toLocaleString("en-GB", { maximumFractionDigits: 1 }));
const mib = (b) => (b == null ? "–" : Math.round(b / 1048576).toLocaleString("en-GB"));
const secs = (s) => (s == null ? "–" : s.toLocaleString("en-GB", { maximumFractionDigits: s < 10 ? 2 : 1 }));
const int = (n) => (n == null ? "–" : Math.round(n).toLocaleString("en-GB"));
const mark = (ok) => (ok ? "yes" : "**no**");

function describeLoad(r) {
  if (r.timedOut || r.noResult) {
    return `${r.timedOut ? "no result within the timeout" : `no result: "${r.after?.status}"`}; ${kb(r.bytesTotal)} KB transferred`;
  }
  return `first result after ${secs(r.secondsToFirst)} s and ${kb(r.bytesToFirst)} KB; ${kb(r.bytesTotal)} KB until idle; heap ${mb(r.heapUsedBytes)} MB; ${int(r.domNodes)} DOM nodes; ${r.after?.shown ?? "?"} results shown`;
}

function markdown(report) {
  const lines = [];
  const { env } = report;
  lines.push(`## Search run ${env.date}: ${report.label}`, "");
  lines.push(`- Machine: ${env.cpus} CPUs (${env.cpuModel}), ${env.memGiB} GiB RAM; load average ${env.loadStart} at start, ${env.loadEnd} at end`);
  lines.push(`- Browser: ${env.browser}, headless; boardpack: ${env.boardpack}`);
  lines.push(`- Line: ${report.throttled ? `emulated by the host: ${LINE.latencyMs} ms before each response, then all responses share ${LINE.downBitsPerS / 1e6} Mbit/s` : "loopback, no throttling"}; cache disabled; ${report.gzip ? "gzip for text types" : "no compression"}`);
  lines.push("");
  if (report.builds.length) {
    lines.push("| Reports | Build wall (s) | Build CPU (s) | Build peak RSS (MiB) | Output files | Search files | Search bytes (MB) | Largest search file |");
    lines.push("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for (const b of report.builds) {
      const largest = b.search.largest ? `${b.search.largest.path} (${mb(b.search.largest.bytes)} MB)` : "–";
      lines.push(`| ${int(b.size)} | ${secs(b.wallS)} | ${secs(b.cpuS)} | ${mib(b.maxRssBytes)} | ${int(b.outputFiles)} | ${int(b.search.files)} | ${mb(b.search.bytes)} | ${largest} |`);
    }
    lines.push("");
  }
  lines.push(`| Reports | Query | KB to first result (≤ ${BOUNDS.bytesToFirst / 1000}) | s to first result${report.throttled ? ` (≤ ${BOUNDS.secondsToFirst})` : ""} | Progress shown first | KB until idle | Requests | Results shown | "More" | JS heap MB (≤ ${BOUNDS.heapBytes / 1e6}) | DOM nodes | Largest transfer (KB) | Status text |`);
  lines.push("| ---: | --- | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: | --- | --- |");
  for (const s of report.sites) {
    for (const r of s.loads) {
      const q = `${r.query}: \`${r.words}\`${r.filter ? ` + ${Object.entries(r.filter).map(([k, v]) => `${k}=${v}`).join("")}` : ""}`;
      if (r.notOffered) {
        lines.push(`| ${s.label} | ${q} | – | – | – | – | – | – | – | – | – | – | not offered by this page |`);
        continue;
      }
      const within = (v, bound) => (v == null ? "–" : `${v <= bound ? "" : "**"}${bound === BOUNDS.bytesToFirst ? kb(v) : bound === BOUNDS.heapBytes ? mb(v) : secs(v)}${v <= bound ? "" : "**"}`);
      const time = r.timedOut ? "**timed out**" : r.noResult ? "**no result**" : report.throttled ? within(r.secondsToFirst, BOUNDS.secondsToFirst) : secs(r.secondsToFirst);
      const more = r.more ? `${r.more.grew ? `+${int(r.more.shown - r.after.shown)} in ${secs(r.more.seconds)} s, ${kb(r.more.bytes)} KB` : "**did not grow**"}` : "none";
      const status = (r.after?.status ?? "").replaceAll("|", "\\|");
      const big = [...r.requestList].sort((a, b) => b.bytes - a.bytes)[0];
      const largest = big ? `\`${big.url.split("?")[0]}\` (${kb(big.bytes)})` : "–";
      lines.push(`| ${s.label} | ${q} | ${within(r.bytesToFirst, BOUNDS.bytesToFirst)} | ${time} | ${mark(r.progressBeforeFirst)} | ${kb(r.bytesTotal)} | ${int(r.requests)} | ${int(r.after?.shown)} | ${more} | ${within(r.heapUsedBytes, BOUNDS.heapBytes)} | ${int(r.domNodes)} | ${largest} | ${status} |`);
    }
  }
  lines.push("");
  lines.push("KB are 1,000 bytes as the host sent them (compressed, headers included, the Web Worker's requests too, which the page's CDP session does not see: Requests, Largest transfer and \"More\" KB count only the page's own) from navigation to the first visible result link, and until the network was quiet for 1.5 s. Seconds run from navigation start to the frame after the first result link is visible. Bold: outside issue 19's bound. The JS heap is the page's and its workers' (measureUserAgentSpecificMemory), or else the page's `JSHeapUsedSize`, after a forced garbage collection, with the results of the first load shown; DOM nodes are Chromium's live `Nodes` count then. \"More\" is one press of `[data-bp-search-more]`.");
  for (const w of report.warnings) {
    lines.push("", `Warning: ${w}`);
  }
  return lines.join("\n");
}

function checks(report) {
  const warnings = [];
  for (const s of report.sites) {
    for (const r of s.loads) {
      if (r.notOffered) {
        continue;
      }
      // The host's count is what the browser asked for; far more than CDP saw means requests
      // (from a worker, say) that the page's throttling and byte count did not cover.
      if (r.serverBytesTotal > r.bytesTotal * 1.05 + 2000) {
        warnings.push(`${s.label} ${r.query}: the host sent ${kb(r.serverBytesTotal)} KB but CDP counted ${kb(r.bytesTotal)} KB; some requests escaped the page's network domain`);
      }
      if (report.throttled && r.effectiveBitsPerS && r.effectiveBitsPerS > LINE.downBitsPerS * 1.1) {
        warnings.push(`${s.label} ${r.query}: ${kb(r.bytesToFirst)} KB arrived in ${secs(r.secondsToFirst)} s, faster than the line allows; the throttling did not apply`);
      }
      if (r.noResult) {
        warnings.push(`${s.label} ${r.query}: the page finished without a result ("${r.after?.status}"); choose words it finds with --queries`);
      }
    }
  }
  return warnings;
}

function environment(browserVersion, bin) {
  const version = existsSync(bin) ? run(bin, ["--version"]).stdout.trim() : "unknown";
  const commit = run("git", ["rev-parse", "--short", "HEAD"], { cwd: import.meta.dirname }).stdout.trim();
  const dirty = run("git", ["diff", "--quiet", "HEAD"], { cwd: import.meta.dirname }).status !== 0;
  return {
    date: new Date().toISOString().slice(0, 16) + "Z",
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memGiB: (totalmem() / 2 ** 30).toFixed(1),
    browser: `Chromium ${browserVersion}`,
    boardpack: `${version} at ${commit || "?"}${dirty ? " + uncommitted changes" : ""}`,
    loadStart: loadavg().map((l) => l.toFixed(2)).join(", "),
  };
}

// ---- Run ------------------------------------------------------------------------------------

async function main() {
  const opts = options();
  const browser = await launch();
  const env = environment(browser.version(), opts.bin);
  const report = { label: opts.label ?? env.boardpack, throttled: opts.throttle, gzip: opts.gzip, env, builds: [], sites: [], warnings: [] };
  const work = opts.site ? null : opts.work ?? mkdtempSync(join(tmpdir(), "boardpack-bench-search-"));
  try {
    if (opts.site) {
      report.sites.push({ label: basename(opts.site), loads: await measureSite(browser, opts.site, opts) });
    } else {
      mkdirSync(work, { recursive: true });
      for (const n of opts.sizes) {
        const site = join(work, `site-${n}`);
        const output = join(work, `out-${n}`);
        generate(opts.gen, site, n);
        const b = build(opts.bin, site, output, opts.buildRuns);
        report.builds.push({ size: n, ...b });
        log(`built ${n} reports in ${secs(b.wallS)} s (${secs(b.cpuS)} s CPU, ${mib(b.maxRssBytes)} MiB peak); search files ${mb(b.search.bytes)} MB`);
        report.sites.push({ label: int(n), size: n, loads: await measureSite(browser, output, opts) });
        if (!opts.keep) {
          // Free the disk before the next, larger size.
          rmSync(output, { recursive: true, force: true });
          rmSync(site, { recursive: true, force: true });
        }
      }
    }
  } finally {
    await browser.close();
    if (work && !opts.keep) {
      rmSync(work, { recursive: true, force: true });
    }
  }
  env.loadEnd = loadavg().map((l) => l.toFixed(2)).join(", ");
  report.warnings = checks(report);
  const text = markdown(report);
  console.log(text);
  if (opts.out) {
    writeFileSync(opts.out, `${text}\n`);
  }
  if (opts.json) {
    writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
  }
}

await main();
