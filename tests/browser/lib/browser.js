// Headless Chromium from the system (Debian's `chromium` package), driven by playwright-core.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);

/** Flags for a quiet headless Chromium on a machine with no network but loopback. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  "--font-render-hinting=none",
];

export function chromiumPath() {
  const candidates = [
    process.env.BOARDPACK_CHROMIUM,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      "no Chromium found: install Debian's `chromium` package (scripts/test does) or set BOARDPACK_CHROMIUM",
    );
  }
  return found;
}

/** Launch Chromium. playwright-core gives it a new, empty profile (user data directory). */
export async function launch() {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** A new browsing context (an empty profile's worth of state) with British settings. */
export async function newContext(browser, options = {}) {
  return browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: "en-GB",
    timezoneId: "Europe/London",
    reducedMotion: "reduce",
    ...options,
  });
}

const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** The WCAG 2.2 A and AA rules, and nothing else. */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** Run axe-core on the page as it is now. Returns the violations. */
export async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.addScriptTag({ content: AXE_SOURCE });
  }
  return page.evaluate(async (tags) => {
    const results = await window.axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"],
    });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary, html: n.html.slice(0, 200) })),
    }));
  }, WCAG_TAGS);
}

/** Violations as readable text, for assertion messages. */
export function describe(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes
      .slice(0, 8)
      .map((n) => `    ${n.target}\n      ${n.html}\n      ${(n.summary || "").split("\n").join("\n      ")}`)
      .join("\n")}${v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : ""}`)
    .join("\n");
}
