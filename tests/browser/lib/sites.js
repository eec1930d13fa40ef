// Build boardpack sites into temporary folders with the boardpack binary.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** The boardpack binary: $BOARDPACK_BIN, else the newer of target/{debug,release}/boardpack,
 * else one built now with `cargo build`. */
export function boardpackBinary() {
  if (process.env.BOARDPACK_BIN) {
    return resolve(process.env.BOARDPACK_BIN);
  }
  const target = process.env.CARGO_TARGET_DIR
    ? resolve(process.env.CARGO_TARGET_DIR)
    : join(repoRoot, "target");
  const candidates = ["debug", "release"]
    .map((profile) => join(target, profile, "boardpack"))
    .filter((p) => existsSync(p))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (candidates.length) {
    return candidates[0];
  }
  execFileSync("cargo", ["build", "--bin", "boardpack"], { cwd: repoRoot, stdio: "inherit" });
  return join(target, "debug", "boardpack");
}

/** The sites the suite checks: the example board at the repository's root and the fixtures. */
export const SITES = [
  { name: "example", root: repoRoot },
  // Its indicators table has three years of targets, thirteen columns: the one table that
  // still scrolls (with its cue) at a desktop's width.
  { name: "wigan", root: join(repoRoot, "tests", "fixtures", "wigan"), desktopWide: [/^Key Performance Indicators/] },
  { name: "west-dunbartonshire", root: join(repoRoot, "tests", "fixtures", "west-dunbartonshire") },
  // Every kind over three periods: the changes since the last period on every page type.
  { name: "changes", root: join(repoRoot, "tests", "fixtures", "changes") },
  // Windows line endings, a byte-order mark, tabs, curly quotes, Welsh and Gaelic names.
  { name: "messy", root: join(repoRoot, "tests", "fixtures", "messy") },
  // `<script>`, `javascript:` links and quotes in every front-matter string and in the bodies.
  // Its `<img src=x onerror=…>`s keep their `src` and so have no alt text (`check` warns of
  // the one in a body: image-alt), so axe's image-alt is the one rule it may break.
  { name: "hostile", root: join(repoRoot, "tests", "fixtures", "hostile"), axeAllows: ["image-alt"] },
  // Exempt items in every kind and part: the public's stubs, and the members' banners.
  { name: "exempt", root: join(repoRoot, "tests", "fixtures", "exempt") },
  { name: "exempt-members", root: join(repoRoot, "tests", "fixtures", "exempt"), extra: ["--audience", "members"] },
  // The site `boardpack init` writes: what a new board sees first, with the widest
  // indicators and budget tables of any site.
  { name: "scaffold", init: true },
];

/** The folder of `site`: its `root`, or for a site with `init` a new one `boardpack init`
 * writes into a temporary folder (removed with `removeSite`). */
export function siteRoot(site) {
  if (!site.init) {
    return site.root;
  }
  const root = join(mkdtempSync(join(tmpdir(), `boardpack-browser-${site.name}-src-`)), "site");
  execFileSync(boardpackBinary(), ["--quiet", "init", root]);
  return root;
}

/** Build the site at `root` into a new temporary folder and return the folder; `extra` are
 * more arguments for `build`, such as `--drafts`. */
export function buildSite(root, name = "site", extra = []) {
  const out = join(mkdtempSync(join(tmpdir(), `boardpack-browser-${name}-`)), "site");
  const result = spawnSync(
    boardpackBinary(),
    ["--root", root, "--color", "never", "--quiet", "build", "--output", out, ...extra],
    { encoding: "utf8" },
  );
  if (result.status !== 0) {
    throw new Error(
      `boardpack build of ${root} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return out;
}

/** Remove a folder `buildSite` made, with the temporary folder around it. */
export function removeSite(out) {
  if (out && out.startsWith(tmpdir())) {
    rmSync(dirname(out), { recursive: true, force: true });
  }
}

/** Every HTML page of a built site: `{ rel, url, kind }`, where `kind` is the page's
 * `bp-page--<kind>` class (home, period, highlight, …). */
export function pagesOf(out) {
  const pages = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else if (entry.name.endsWith(".html")) {
        const rel = relative(out, path).split("\\").join("/");
        const html = readFileSync(path, "utf8");
        const kind = /<body[^>]*\bbp-page--([a-z-]+)/.exec(html)?.[1] ?? "unknown";
        const url = rel === "index.html" ? "/" : rel.endsWith("/index.html") ? `/${rel.slice(0, -"index.html".length)}` : `/${rel}`;
        pages.push({ rel, url, kind });
      }
    }
  };
  walk(out);
  return pages;
}
