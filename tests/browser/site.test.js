// boardpack's browser suite: the example board and both fixture sites, built with the boardpack
// binary, served on 127.0.0.1 and checked in headless Chromium.
//
//   - axe-core's WCAG 2.2 A and AA rules find no violation on any page (every page of every
//     site, so every page type), nor on the search page with results, nor on the 404 page;
//   - the keyboard alone reaches the skip link, the search box and the main navigation;
//   - nothing the home page asks for is missing (the favicon, the stylesheet), and the feeds it
//     links, robots.txt and meetings.json are served, the feeds well-formed;
//   - search finds reports, shows front matter as text, and says it needs JavaScript without it;
//   - print styles hide the navigation, print no link addresses, findings or sources, print
//     status in words and a table's totals once, after its rows;
//   - screenshots of the home, a highlight report, the budget page and the plan page at a phone
//     and a desktop width, in target/screenshots/ (or $BOARDPACK_SCREENSHOTS);
//   - on a site with every kind over three periods, the changes views (what changed on the
//     board pack and home page, and each report's changes section) pass axe, say status in
//     words, and are left as screenshots too;
//   - a draft, built with --drafts, marked "DRAFT – not approved" on screen and on paper, with
//     no axe violation, and its screenshots.
//
// Run with `npm test` here, or `scripts/test` from the repository's root.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { axe, describe as describeViolations, launch, newContext } from "./lib/browser.js";
import { measure } from "./lib/phone.js";
import { SITES, boardpackBinary, buildSite, pagesOf, removeSite, repoRoot, siteRoot } from "./lib/sites.js";
import { serve } from "./lib/server.js";

const SCREENSHOTS = process.env.BOARDPACK_SCREENSHOTS || join(repoRoot, "target", "screenshots");
const WIDTHS = { phone: 390, desktop: 1280 };

/** The page types each site must have, by `page.kind`; any other type found is tested too. */
const EXPECTED_KINDS = {
  example: ["home", "period", "programme", "highlight", "budget", "plan", "page", "accessibility", "search", "not-found"],
  wigan: ["home", "period", "indicators", "actions", "accessibility", "search", "not-found"],
  "west-dunbartonshire": ["home", "period", "actions", "accessibility", "search", "not-found"],
  changes: ["home", "period", "programme", "highlight", "budget", "indicators", "actions", "exceptions", "accessibility", "search", "not-found"],
  messy: ["home", "period", "programme", "highlight", "page", "exceptions", "accessibility", "search", "not-found"],
  hostile: ["home", "period", "programme", "highlight", "page", "exceptions", "accessibility", "search", "not-found"],
  exempt: ["home", "period", "programme", "highlight", "budget", "indicators", "actions", "exceptions", "page", "accessibility", "search", "not-found"],
  "exempt-members": ["home", "period", "programme", "highlight", "budget", "indicators", "actions", "exceptions", "page", "accessibility", "search", "not-found"],
  scaffold: ["home", "period", "programme", "highlight", "budget", "indicators", "exceptions", "page", "accessibility", "search", "not-found"],
};

/** A header no taller than this at a phone's width leaves the page's heading on its first
 * screen (844 px tall), with the breadcrumbs above it. */
const PHONE_HEADER = 180;

let browser;

before(async () => {
  browser = await launch();
  mkdirSync(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  console.log(`Screenshots and the printed board pack are in ${SCREENSHOTS}`);
});

/** Open `url` in a new page of a new context; the caller closes the context. */
async function open(url, options = {}) {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const response = await page.goto(url, { waitUntil: "load" });
  return { context, page, response, errors };
}

for (const site of SITES) {
  describe(site.name, () => {
    let root;
    let out;
    let server;
    let pages;

    before(async () => {
      root = siteRoot(site);
      out = buildSite(root, site.name, site.extra ?? []);
      pages = pagesOf(out);
      server = await serve(out);
    });

    after(async () => {
      await server?.close();
      removeSite(out);
      if (site.init) {
        removeSite(root);
      }
    });

    test("has every page type", () => {
      const kinds = new Set(pages.map((p) => p.kind));
      for (const kind of EXPECTED_KINDS[site.name]) {
        assert.ok(kinds.has(kind), `no ${kind} page; found ${[...kinds].join(", ")}`);
      }
      assert.ok(!kinds.has("unknown"), "a page without a bp-page--<kind> class");
    });

    test("nothing the home page asks for is missing: the favicon, the stylesheet and the feeds", async () => {
      const { context, page } = await open(server.url);
      const failed = [];
      page.on("response", (r) => {
        if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
      });
      try {
        await page.reload({ waitUntil: "load" });
        // Browsers ask for /favicon.ico whatever the page links; headless Chromium may not.
        const wanted = ["favicon.ico", "robots.txt", "meetings.json"].map((f) => new URL(f, server.url).href);
        const linked = await page.$$eval('head link[rel="icon"], head link[rel="alternate"]', (ls) => ls.map((l) => l.href));
        assert.ok(linked.some((h) => h.endsWith("/feed.xml")), `no feed linked: ${linked}`);
        for (const url of [...wanted, ...linked]) {
          const r = await page.request.get(url);
          assert.equal(r.status(), 200, url);
          if (url.endsWith(".xml") || url.endsWith(".svg")) {
            const text = await r.text();
            const error = await page.evaluate(
              (t) => new DOMParser().parseFromString(t, "application/xml").querySelector("parsererror")?.textContent ?? null,
              text,
            );
            assert.equal(error, null, `${url} is not well-formed XML`);
          }
        }
        assert.deepEqual(failed, [], "requests that failed");
      } finally {
        await context.close();
      }
    });

    test("axe-core finds no WCAG 2.2 A or AA violation on any page, and no script of the content runs", { timeout: 600_000 }, async (t) => {
      const context = await newContext(browser);
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      // Every script in the fixtures' content calls alert(): one that ran would open a dialog.
      const dialogs = [];
      page.on("dialog", (d) => {
        dialogs.push(`${page.url()}: ${d.message()}`);
        d.dismiss().catch(() => {});
      });
      const allowed = new Set(site.axeAllows ?? []);
      try {
        for (const p of pages) {
          await t.test(`${p.kind}: ${p.url}`, async () => {
            const response = await page.goto(new URL(p.url.slice(1), server.url).href, { waitUntil: "load" });
            assert.equal(response.status(), 200);
            const violations = (await axe(page)).filter((v) => !allowed.has(v.id));
            assert.deepEqual(violations.map((v) => v.id), [], `${p.url}:\n${describeViolations(violations)}`);
          });
        }
        assert.deepEqual(dialogs, [], "a script from the content ran");
        // The not-found page as a server sends it, at an address that does not exist.
        await t.test("not-found: an unknown address", async () => {
          const response = await page.goto(`${server.url}no-such-page/at/all`, { waitUntil: "load" });
          assert.equal(response.status(), 404);
          assert.equal(await page.locator("h1").textContent(), "Page not found");
          const violations = await axe(page);
          assert.deepEqual(violations.map((v) => v.id), [], describeViolations(violations));
        });
        // The search page with results on it, which only exist once the script has run.
        await t.test("search: with results", async () => {
          await page.goto(`${server.url}search/?q=the`, { waitUntil: "load" });
          await page.locator(".bp-search__result").first().waitFor();
          const violations = await axe(page);
          assert.deepEqual(violations.map((v) => v.id), [], describeViolations(violations));
        });
        assert.deepEqual(errors, [], "JavaScript errors");
      } finally {
        await context.close();
      }
    });

    // WCAG 1.4.10 (reflow): at 320 CSS pixels no page scrolls sideways. Wide tables, the
    // theme's and those written in Markdown, scroll inside their own focusable region.
    test("no page is wider than a 320 px window", { timeout: 300_000 }, async (t) => {
      const context = await newContext(browser, { viewport: { width: 320, height: 700 } });
      const page = await context.newPage();
      try {
        for (const p of pages) {
          await t.test(`${p.kind}: ${p.url}`, async () => {
            await page.goto(new URL(p.url.slice(1), server.url).href, { waitUntil: "load" });
            const wide = await page.evaluate(() => {
              const over = document.documentElement.scrollWidth - window.innerWidth;
              const culprits = [...document.querySelectorAll("main *")]
                .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
                .filter((e) => !e.closest(".bp-table-wrap") && getComputedStyle(e).position !== "absolute")
                .slice(0, 3)
                .map((e) => `<${e.tagName.toLowerCase()} class="${e.className}">`);
              return { over, culprits };
            });
            assert.ok(wide.over <= 0, `${p.url} is ${wide.over}px too wide: ${wide.culprits.join(", ")}`);
          });
        }
      } finally {
        await context.close();
      }
    });

    // At a phone's and a desktop's width, one page of each kind (each kind's pages share a
    // template, and every page of nine sites at two widths cost CI minutes): the page never scrolls sideways; a
    // table's status (or RAG) tags are in view, or the table says in words that it scrolls,
    // and says so exactly when it does; captions are read whole; no chart text is drawn under
    // 12 px; the header leaves the page's heading on a phone's first screen. At the desktop
    // width no table is cut off at all. One evaluate() per page and width.
    test("phone and desktop: status in view or a scroll cue, charts' text at 12 px or more, no overflow", { timeout: 300_000 }, async (t) => {
      for (const [device, width] of Object.entries(WIDTHS)) {
        const context = await newContext(browser, { viewport: { width, height: 844 } });
        const page = await context.newPage();
        const sample = pages.filter((p, i) => pages.findIndex((q) => q.kind === p.kind) === i);
        try {
          for (const p of sample) {
            await t.test(`${device}: ${p.kind}: ${p.url}`, async () => {
              await page.goto(new URL(p.url.slice(1), server.url).href, { waitUntil: "load" });
              const m = await page.evaluate(measure);
              const at = `${p.url} at ${width}px`;
              assert.ok(m.overflow <= 0, `${at} is ${m.overflow}px too wide`);
              for (const table of m.tables) {
                const which = `${at}: "${table.caption}" (${table.width}px in ${table.box}px)`;
                assert.ok(table.tagsOut === 0 || table.cue, `${which}: ${table.tagsOut} of ${table.tags} status tags out of view, with no cue`);
                assert.equal(table.cue, table.scrolls, `${which}: the cue shows exactly when the table scrolls`);
                assert.ok(!table.captionCut, `${which}: its caption is cut off`);
                if (device === "desktop" && !(site.desktopWide ?? []).some((r) => r.test(table.caption))) {
                  assert.ok(!table.scrolls, `${which}: cut off at a desktop's width`);
                }
              }
              assert.deepEqual(m.smallText, [], `${at}: chart text under 12 px (smallest ${m.chartText?.toFixed(1)} px)`);
              if (device === "phone") {
                assert.ok(m.header <= PHONE_HEADER, `${at}: the header is ${m.header}px tall`);
              }
            });
          }
        } finally {
          await context.close();
        }
      }
    });

    test("the keyboard reaches the skip link, the search box and every main navigation link", async () => {
      for (const kind of ["home", "period", "page"]) {
        const target = pages.find((p) => p.kind === kind);
        if (!target) {
          continue;
        }
        const { context, page } = await open(new URL(target.url.slice(1), server.url).href);
        try {
          const navLinks = await page.locator("nav[aria-label=Main] a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
          assert.ok(navLinks.length > 0, "the main navigation has links");
          const focused = [];
          for (let i = 0; i < 60; i++) {
            await page.keyboard.press("Tab");
            focused.push(await page.evaluate(() => {
              const e = document.activeElement;
              const box = e.getBoundingClientRect();
              return {
                tag: e.tagName.toLowerCase(),
                id: e.id,
                className: typeof e.className === "string" ? e.className : "",
                href: e.getAttribute("href"),
                inMainNav: Boolean(e.closest("nav[aria-label=Main]")),
                visible: box.width > 1 && box.height > 1,
              };
            }));
            const last = focused[focused.length - 1];
            if (last.tag === "main" || (last.href && !last.inMainNav && focused.some((f) => f.inMainNav))) {
              break;
            }
          }
          const where = `${target.url}: focus went ${focused.map((f) => f.id || f.href || f.tag).join(" → ")}`;
          assert.ok(focused[0].className.includes("bp-skip-link"), `the first Tab stop is the skip link; ${where}`);
          assert.ok(focused[0].visible, "the skip link is visible when focused");
          assert.ok(focused.some((f) => f.tag === "input" && f.id === "bp-header-search-input"), `the search box is reached; ${where}`);
          for (const href of navLinks) {
            assert.ok(focused.some((f) => f.inMainNav && f.href === href), `the navigation link ${href} is reached; ${where}`);
          }
          assert.ok(focused.every((f) => f.visible), `every focused element is visible; ${where}`);

          // The skip link moves focus to the main content.
          await page.reload();
          await page.keyboard.press("Tab");
          await page.keyboard.press("Enter");
          assert.equal(await page.evaluate(() => document.activeElement.id), "main-content");
        } finally {
          await context.close();
        }
      }
    });

    test("search finds reports from the header's search box", async () => {
      const { context, page, errors } = await open(server.url);
      try {
        const first = pages.find((p) => ["highlight", "budget", "indicators", "actions"].includes(p.kind));
        assert.ok(first, "the site has a report");
        // A word from the report's own title, typed with the keyboard.
        await page.goto(new URL(first.url.slice(1), server.url).href);
        const title = (await page.locator("h1").evaluate((h) => h.lastChild.textContent)).trim();
        const word = title.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 3)[0];
        assert.ok(word, `a word to search for in "${title}"`);
        await page.locator("#bp-header-search-input").focus();
        await page.keyboard.type(word);
        await page.keyboard.press("Enter");
        await page.waitForURL(/\/search\/\?q=/);
        await page.locator(".bp-search__result").first().waitFor();
        const status = await page.locator("[data-bp-search-status]").textContent();
        assert.match(status, new RegExp(`^\\d+ results? for “${word}”$`));
        const hrefs = await page.locator(".bp-search__title a").evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
        assert.ok(hrefs.includes(first.url), `${first.url} among the results for ${word}: ${hrefs.join(", ")}`);
        // The search page's own box is labelled, holds the words and updates as one types.
        const input = page.getByLabel("Search all reports and pages");
        assert.equal(await input.inputValue(), word);
        await input.fill("zzqqxx-no-such-word");
        await page.waitForFunction(() => document.querySelector("[data-bp-search-status]").textContent.startsWith("No results"));
        assert.equal(await page.locator(".bp-search__result").count(), 0);
        assert.match(page.url(), /q=zzqqxx-no-such-word/);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });

    test("without JavaScript the search page says so and links to the contents", async () => {
      const { context, page } = await open(`${server.url}search/?q=budget`, { javaScriptEnabled: false });
      try {
        const message = page.locator("[data-bp-search-no-js]");
        assert.ok(await message.isVisible());
        assert.match(await message.textContent(), /Search needs JavaScript/);
        assert.equal(await message.locator("a").first().getAttribute("href"), "/");
        assert.equal(await page.locator("[data-bp-search-form]").isVisible(), false);
      } finally {
        await context.close();
      }
    });
  });
}

describe("example board", () => {
  let out;
  let server;
  let pages;

  before(async () => {
    out = buildSite(repoRoot, "example-shots");
    pages = pagesOf(out);
    server = await serve(out);
  });

  after(async () => {
    await server?.close();
    removeSite(out);
  });

  // The plan page, named, though every page is checked above: its tables are the widest and
  // its statuses the most numerous of any page.
  test("axe-core finds no violation on the plan page, and its statuses are words", { timeout: 120_000 }, async () => {
    const plan = pages.find((p) => p.url === "/plan/2009-10/");
    assert.ok(plan, "the example board has a plan page");
    for (const width of Object.values(WIDTHS)) {
      const { context, page, errors } = await open(new URL(plan.url.slice(1), server.url).href, {
        viewport: { width, height: 900 },
      });
      try {
        const violations = await axe(page);
        assert.deepEqual(violations.map((v) => v.id), [], describeViolations(violations));
        // Every status tag says its status: colour only repeats it.
        const tags = await page.locator("main .bp-tag").allTextContents();
        assert.ok(tags.length > 28, `${tags.length} status tags`);
        assert.ok(tags.every((t) => /^(Not started|In progress|Delayed|On hold|Complete|Cancelled)$/.test(t.trim())), tags.join(", "));
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
  });

  test("screenshots of the home, a highlight report, the budget page and the plan page", { timeout: 300_000 }, async () => {
    const shots = [
      ["home", pages.find((p) => p.kind === "home")],
      ["highlight", pages.find((p) => p.url === "/programmes/improving-capacity/2009-10-q2/") ?? pages.find((p) => p.kind === "highlight")],
      ["budget", pages.find((p) => p.url === "/budget/2009-10-q2/") ?? pages.find((p) => p.kind === "budget")],
      ["plan", pages.find((p) => p.url === "/plan/2009-10/") ?? pages.find((p) => p.kind === "plan")],
      ["search", { url: "/search/?q=vacancy" }],
    ];
    const written = [];
    for (const [name, target] of shots) {
      assert.ok(target, `a ${name} page`);
      for (const [device, width] of Object.entries(WIDTHS)) {
        const { context, page } = await open(new URL(target.url.slice(1), server.url).href, {
          viewport: { width, height: device === "phone" ? 844 : 900 },
          deviceScaleFactor: 1,
        });
        try {
          if (name === "search") {
            await page.locator(".bp-search__result").first().waitFor();
          }
          const file = join(SCREENSHOTS, `${name}-${device}.png`);
          await page.screenshot({ path: file, fullPage: true });
          // The page never scrolls sideways: wide tables scroll inside their own region.
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `${target.url} at ${width}px is ${overflow}px wider than the window`);
          written.push(file);
        } finally {
          await context.close();
        }
      }
    }
    assert.equal(written.length, shots.length * 2);
  });

  test("on a phone the navigation folds behind Menu, which opens it; on a desktop it is always open", async () => {
    const home = new URL(pages.find((p) => p.kind === "home").url.slice(1), server.url).href;
    const phone = await open(home, { viewport: { width: WIDTHS.phone, height: 844 } });
    try {
      const { page } = phone;
      const toggle = page.locator("summary.bp-menu__toggle");
      const first = page.locator("nav[aria-label=Main] a").first();
      assert.ok(await toggle.isVisible());
      assert.equal(await toggle.textContent(), "Menu");
      assert.equal(await first.isVisible(), false, "folded at first");
      // The keyboard opens it: Tab from the search button reaches the toggle.
      await page.locator(".bp-header__search-button").focus();
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement.className), "bp-menu__toggle");
      await page.keyboard.press("Enter");
      assert.ok(await first.isVisible(), "open after Enter");
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement.closest("nav")?.getAttribute("aria-label")), "Main");
      const violations = await axe(page);
      assert.deepEqual(violations.map((v) => v.id), [], describeViolations(violations));
      await page.screenshot({ path: join(SCREENSHOTS, "menu-open-phone.png") });
    } finally {
      await phone.context.close();
    }
    const desktop = await open(home);
    try {
      assert.equal(await desktop.page.locator("summary.bp-menu__toggle").isVisible(), false);
      const links = desktop.page.locator("nav[aria-label=Main] a");
      assert.ok((await links.count()) > 0);
      for (const link of await links.all()) {
        assert.ok(await link.isVisible());
      }
    } finally {
      await desktop.context.close();
    }
  });

  test("a board pack prints without navigation or link addresses, with a page per report", { timeout: 120_000 }, async () => {
    const period = pages.find((p) => p.url === "/periods/2009-10-q2/") ?? pages.find((p) => p.kind === "period");
    const { context, page } = await open(new URL(period.url.slice(1), server.url).href);
    try {
      await page.emulateMedia({ media: "print" });
      const styles = await page.evaluate(() => {
        const display = (sel) => {
          const e = document.querySelector(sel);
          return e ? getComputedStyle(e).display : "absent";
        };
        const external = document.querySelector("main a[href^='/']:not([href^='#'])");
        const anchor = document.querySelector("main a[href^='#']");
        const reports = [...document.querySelectorAll(".bp-report")];
        const thead = document.querySelector("main thead");
        const row = document.querySelector("main tbody tr");
        // A table with totals: its footer must print after its body rows, once.
        const tfoot = document.querySelector("main table tfoot");
        const tbody = tfoot ? tfoot.closest("table").querySelector("tbody") : null;
        const rag = [...document.querySelectorAll("main .bp-tag, main .bp-rag")].filter((e) => e.getClientRects().length > 0);
        const shown = (sel) => [...document.querySelectorAll(sel)].filter((e) => e.getClientRects().length > 0).length;
        return {
          nav: display("nav[aria-label=Main]"),
          search: display(".bp-header__search"),
          skip: display(".bp-skip-link"),
          breadcrumbs: display("nav[aria-label=Breadcrumb]"),
          externalAfter: external ? getComputedStyle(external, "::after").content : "none",
          anchorAfter: anchor ? getComputedStyle(anchor, "::after").content : "none",
          breaks: reports.slice(1).map((r) => getComputedStyle(r).breakBefore),
          thead: thead ? getComputedStyle(thead).display : "absent",
          row: row ? getComputedStyle(row).breakInside : "absent",
          tfoot: tfoot ? getComputedStyle(tfoot).display : "absent",
          footAfterBody: tfoot && tbody ? tbody.getBoundingClientRect().bottom <= tfoot.getBoundingClientRect().top + 1 : null,
          anyAfter: [...document.querySelectorAll("main a[href]")].map((a) => getComputedStyle(a, "::after").content).filter((c) => !["none", "normal", '""'].includes(c)),
          ragWords: rag.map((e) => e.textContent.trim()),
          // Paper shows every column: no table says it scrolls, and none is cut off.
          cues: [...document.querySelectorAll(".bp-table-wrap")].filter((w) => getComputedStyle(w, "::before").display !== "none").length,
          clipped: [...document.querySelectorAll(".bp-table-wrap")].filter((w) => w.scrollWidth > w.clientWidth + 1).length,
          menu: display(".bp-menu"),
          narrowCharts: shown(".bp-chart__svg--narrow"),
          findings: shown(".bp-findings") + shown(".bp-provenance"),
        };
      });
      assert.equal(styles.nav, "none");
      assert.equal(styles.search, "none");
      assert.equal(styles.skip, "none");
      assert.equal(styles.breadcrumbs, "none");
      assert.ok(["none", "normal", '""'].includes(styles.externalAfter), `links print no address: ${styles.externalAfter}`);
      assert.deepEqual(styles.anyAfter, [], "no link prints its path");
      assert.equal(styles.tfoot, "table-row-group", "totals print once, not on every page");
      assert.equal(styles.footAfterBody, true, "the total row prints after the rows it adds up");
      assert.ok(styles.ragWords.length > 0 && styles.ragWords.every((w) => /[A-Za-z]/.test(w)), `status in words: ${styles.ragWords}`);
      assert.equal(styles.findings, 0, "no findings or source references print");
      assert.equal(styles.cues, 0, "no scroll cue prints");
      assert.equal(styles.clipped, 0, "no printed table is cut off");
      assert.equal(styles.menu, "none");
      assert.equal(styles.narrowCharts, 0, "the wide charts print");
      assert.ok(["none", "normal", '""'].includes(styles.anchorAfter), `in-page links print no address: ${styles.anchorAfter}`);
      assert.ok(styles.breaks.length > 0 && styles.breaks.every((b) => b === "page"), `page breaks: ${styles.breaks}`);
      assert.equal(styles.thead, "table-header-group");
      assert.equal(styles.row, "avoid");
      const pdf = join(SCREENSHOTS, "board-pack.pdf");
      await page.pdf({ path: pdf, format: "A4", printBackground: false, preferCSSPageSize: true });
    } finally {
      await context.close();
    }
  });
});

describe("changes since the last period", () => {
  let out;
  let server;

  before(async () => {
    out = buildSite(join(repoRoot, "tests", "fixtures", "changes"), "changes-shots");
    server = await serve(out);
  });

  after(async () => {
    await server?.close();
    removeSite(out);
  });

  // Each view, and the section of it that shows what changed.
  const VIEWS = [
    ["changes-period", "/periods/2009-10-q2/", "#since"],
    ["changes-home", "/", "#since"],
    ["changes-budget", "/budget/2009-10-q2/", "#budget-changes"],
    ["changes-indicators", "/indicators/2009-10-q2/", "#indicators-changes"],
    ["changes-actions", "/actions/2009-10-q2/", "#actions-changes"],
    ["changes-highlight", "/programmes/alpha/2009-10-q2/", "#highlight-alpha-changes"],
  ];

  test("every changes view passes axe, says status in words and is left as screenshots", { timeout: 300_000 }, async () => {
    const written = [];
    for (const [name, url, section] of VIEWS) {
      for (const [device, width] of Object.entries(WIDTHS)) {
        const { context, page, errors } = await open(new URL(url.slice(1), server.url).href, {
          viewport: { width, height: device === "phone" ? 844 : 900 },
          deviceScaleFactor: 1,
        });
        try {
          const violations = await axe(page);
          assert.deepEqual(violations.map((v) => v.id), [], `${url} at ${width}px:\n${describeViolations(violations)}`);
          const heading = page.locator(section);
          assert.ok(await heading.isVisible(), `${url} shows ${section}`);
          // Arrows are decoration: every cell that has one also says better, worse or the same.
          const arrows = await page.locator("main td:has(.bp-trend__arrow)").evaluateAll((tds) => tds.map((td) => td.textContent.trim()));
          for (const cell of arrows) {
            assert.match(cell, /Better|Worse|Same|Not comparable/, `${url}: "${cell}" says its direction in words`);
          }
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `${url} at ${width}px is ${overflow}px wider than the window`);
          await heading.scrollIntoViewIfNeeded();
          const file = join(SCREENSHOTS, `${name}-${device}.png`);
          await page.screenshot({ path: file, fullPage: true });
          written.push(file);
          assert.deepEqual(errors, []);
        } finally {
          await context.close();
        }
      }
    }
    assert.equal(written.length, VIEWS.length * 2);
  });
});

// The example board's illustrative 2009/10 Q3 is a draft: `build` leaves it out (so the sites
// above never show it) and `build --drafts` keeps it, marked on screen and on paper.
describe("drafts, built with --drafts", () => {
  const REPORT = "/programmes/improving-capacity/2009-10-q3/";
  const PACK = "/periods/2009-10-q3/";
  const MARK = "DRAFT – not approved";
  let out;
  let server;

  before(async () => {
    out = buildSite(repoRoot, "example-drafts", ["--drafts"]);
    server = await serve(out);
  });

  after(async () => {
    await server?.close();
    removeSite(out);
  });

  test("a drafted report and its board pack say so in words, and axe finds no violation", { timeout: 120_000 }, async () => {
    for (const [url, says] of [[REPORT, "This report is a draft"], [PACK, "This board pack contains 6 draft reports"]]) {
      const { context, page, errors } = await open(new URL(url.slice(1), server.url).href);
      try {
        const notice = page.locator("main > .bp-draft");
        assert.equal(await notice.count(), 1, `${url}: one notice`);
        assert.ok(await notice.isVisible(), `${url}: the notice is visible`);
        const text = (await notice.textContent()).replace(/\s+/g, " ").trim();
        assert.ok(text.startsWith(MARK) && text.includes(says), `${url}: ${text}`);
        // It comes before the page's own heading, so it is read first.
        const first = await page.evaluate(() => document.querySelector("main").firstElementChild.className);
        assert.equal(first, "bp-draft");
        const violations = await axe(page);
        assert.deepEqual(violations.map((v) => v.id), [], `${url}:\n${describeViolations(violations)}`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
    const { context, page } = await open(new URL(PACK.slice(1), server.url).href);
    try {
      const items = await page.locator(".bp-contents__item").allTextContents();
      const reports = items.filter((t) => !t.startsWith("Summary"));
      assert.equal(reports.length, 6);
      assert.ok(reports.every((t) => t.trim().endsWith("(draft)")), reports.join("\n"));
    } finally {
      await context.close();
    }
  });

  test("screenshots of a drafted report", { timeout: 120_000 }, async () => {
    for (const [device, width] of Object.entries(WIDTHS)) {
      const { context, page } = await open(new URL(REPORT.slice(1), server.url).href, {
        viewport: { width, height: device === "phone" ? 844 : 900 },
        deviceScaleFactor: 1,
      });
      try {
        await page.screenshot({ path: join(SCREENSHOTS, `draft-report-${device}.png`), fullPage: true });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${REPORT} at ${width}px is ${overflow}px wider than the window`);
      } finally {
        await context.close();
      }
    }
  });

  test("a printed draft carries the words on every sheet", { timeout: 120_000 }, async () => {
    const { context, page } = await open(new URL(REPORT.slice(1), server.url).href);
    try {
      await page.emulateMedia({ media: "print" });
      const printed = await page.evaluate(() => {
        const notice = document.querySelector("main > .bp-draft");
        // The `draft` page's top margin box, as the stylesheet declares it.
        const rules = [...document.styleSheets].flatMap((s) => [...s.cssRules]);
        const draftPage = rules.find((r) => r instanceof CSSPageRule && r.selectorText === "draft");
        return {
          notice: getComputedStyle(notice).display,
          noticeText: notice.textContent,
          page: getComputedStyle(document.body).page,
          margin: draftPage ? draftPage.cssText : "",
        };
      });
      assert.notEqual(printed.notice, "none", "the notice prints");
      assert.ok(printed.noticeText.includes(MARK));
      assert.equal(printed.page, "draft", "the report prints on draft pages");
      assert.match(printed.margin, /@top-center\s*\{[^}]*content:\s*"DRAFT – not approved"/, printed.margin);
      await page.screenshot({ path: join(SCREENSHOTS, "draft-report-print.png") });
      await page.pdf({ path: join(SCREENSHOTS, "draft-report.pdf"), format: "A4", printBackground: false, preferCSSPageSize: true });
    } finally {
      await context.close();
    }
  });
});

describe("exempt items", () => {
  const ALPHA = "/programmes/alpha/2009-10-q2/";
  const BUDGET = "/budget/2009-10-q2/";
  const BETA = "/programmes/beta/2009-10-q2/";
  const root = join(repoRoot, "tests", "fixtures", "exempt");
  const sites = {};

  before(async () => {
    for (const audience of ["public", "members"]) {
      const out = buildSite(root, `exempt-${audience}`, ["--audience", audience]);
      sites[audience] = { out, server: await serve(out) };
    }
  });

  after(async () => {
    for (const s of Object.values(sites)) {
      await s.server?.close();
      removeSite(s.out);
    }
  });

  test("members see each exempt item bannered in words; the public see stubs and none of it", { timeout: 120_000 }, async () => {
    const members = await open(new URL(ALPHA.slice(1), sites.members.server.url).href);
    try {
      const banners = members.page.locator(".bp-exempt");
      assert.ok((await banners.count()) >= 4);
      for (const text of await banners.allTextContents()) {
        assert.ok(text.includes("EXEMPT – not for publication"), text);
      }
      const strip = await members.page.locator(".bp-exempt-strip").textContent();
      assert.ok(strip.includes("exempt information"), strip);
      // The banner says it in words; its colours still meet contrast (axe, above).
      assert.ok(await banners.first().isVisible());
    } finally {
      await members.context.close();
    }
    for (const url of [ALPHA, BUDGET, BETA]) {
      const { context, page } = await open(new URL(url.slice(1), sites.public.server.url).href);
      try {
        const body = await page.locator("body").innerText();
        assert.ok(!body.includes("ZQX"), `${url} shows exempt text`);
        assert.ok(body.includes("Exempt information: paragraph"), `${url} has no stub`);
        assert.equal(await page.locator(".bp-exempt, .bp-exempt-strip").count(), 0);
      } finally {
        await context.close();
      }
    }
  });

  test("screenshots of stubs and banners", { timeout: 120_000 }, async () => {
    for (const [audience, url, name] of [["public", ALPHA, "exempt-public-report"], ["public", BUDGET, "exempt-public-budget"], ["members", ALPHA, "exempt-members-report"], ["members", BUDGET, "exempt-members-budget"]]) {
      for (const [device, width] of Object.entries(WIDTHS)) {
        const { context, page } = await open(new URL(url.slice(1), sites[audience].server.url).href, {
          viewport: { width, height: device === "phone" ? 844 : 900 },
          deviceScaleFactor: 1,
        });
        try {
          await page.screenshot({ path: join(SCREENSHOTS, `${name}-${device}.png`), fullPage: true });
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `${url} at ${width}px is ${overflow}px wider than the window`);
        } finally {
          await context.close();
        }
      }
    }
  });
});

describe("front matter in search results", () => {
  let server;
  let root;
  let out;

  before(async () => {
    // A scaffolded site with a page whose title and text are markup.
    root = join(mkdtempSync(join(tmpdir(), "boardpack-browser-hostile-")), "site");
    execFileSync(boardpackBinary(), ["--quiet", "init", root]);
    writeFileSync(
      join(root, "content", "pages", "hostile.md"),
      '+++\nkind = "page"\ntitle = "Zebra <img src=x onerror=\\"window.pwned = 1\\"> crossing"\n+++\nZebra text <b>bold</b> &lt;script&gt;window.pwned = 2&lt;/script&gt; here.\n',
    );
    out = buildSite(root, "hostile");
    server = await serve(out);
  });

  after(async () => {
    await server?.close();
    removeSite(out);
    removeSite(root);
  });

  test("is shown as text, never run as markup", async () => {
    const { context, page, errors } = await open(`${server.url}search/?q=zebra`);
    try {
      await page.locator(".bp-search__result").first().waitFor();
      const title = await page.locator(".bp-search__title a").first().textContent();
      assert.equal(title, 'Zebra <img src=x onerror="window.pwned = 1"> crossing');
      assert.equal(await page.locator(".bp-search__results img, .bp-search__results script, .bp-search__results b").count(), 0);
      assert.match(await page.locator(".bp-search__excerpt").first().textContent(), /<script>window\.pwned = 2<\/script>/);
      assert.equal(await page.evaluate(() => window.pwned), undefined);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe("search over more results than a page shows", () => {
  let server;
  let root;
  let out;

  before(async () => {
    // A scaffolded site with 45 pages that share a word, so that results come in pages of 20.
    root = join(mkdtempSync(join(tmpdir(), "boardpack-browser-paged-")), "site");
    execFileSync(boardpackBinary(), ["--quiet", "init", root]);
    for (let i = 1; i <= 45; i++) {
      writeFileSync(
        join(root, "content", "pages", `note-${i}.md`),
        `+++\nkind = "page"\ntitle = "Wombat note ${i}"\n+++\nThe wombat count for note ${i}.\n`,
      );
    }
    out = buildSite(root, "paged");
    server = await serve(out);
  });

  after(async () => {
    await server?.close();
    removeSite(out);
    removeSite(root);
  });

  test("shows 20 at a time, with a button for more that moves focus to them", async () => {
    const { context, page, errors } = await open(`${server.url}search/?q=wombat`);
    try {
      await page.locator(".bp-search__result").first().waitFor();
      assert.equal(await page.locator("[data-bp-search-status]").textContent(), "45 results for “wombat”");
      assert.equal(await page.locator(".bp-search__result").count(), 20);
      const more = page.locator("[data-bp-search-more]");
      assert.equal(await more.textContent(), "Show 20 more results");
      assert.match(await page.locator("[data-bp-search-shown]").textContent(), /^Showing 1 to 20 of 45\.$/);
      await more.click();
      await page.waitForFunction(() => document.querySelectorAll(".bp-search__result").length === 40);
      // Focus goes to the first new result, so a keyboard or screen reader user carries on there.
      const focused = await page.evaluate(() => document.activeElement.closest(".bp-search__result"));
      assert.ok(focused !== null);
      assert.equal(
        await page.evaluate(() => [...document.querySelectorAll(".bp-search__result")].indexOf(document.activeElement.closest(".bp-search__result"))),
        20,
      );
      assert.equal(await more.textContent(), "Show 5 more results");
      await more.click();
      await page.waitForFunction(() => document.querySelectorAll(".bp-search__result").length === 45);
      assert.equal(await page.locator("[data-bp-search-more-box]").isVisible(), false);
      assert.equal(await page.locator("[data-bp-search-shown]").textContent(), "Showing all 45.");
      // Every result links to a different page.
      const hrefs = await page.locator(".bp-search__title a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      assert.equal(new Set(hrefs).size, 45);
      const violations = await axe(page);
      assert.deepEqual(violations, [], describeViolations(violations));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});

describe("search filters", () => {
  let server;
  let out;

  before(async () => {
    out = buildSite(repoRoot, "example-filters");
    server = await serve(out);
  });

  after(async () => {
    await server?.close();
    removeSite(out);
  });

  test("narrow results to a kind and a period, and go into the URL", async () => {
    const { context, page, errors } = await open(`${server.url}search/?q=the`);
    try {
      await page.locator(".bp-search__result").first().waitFor();
      const all = Number((await page.locator("[data-bp-search-status]").textContent()).split(" ")[0]);
      await page.getByLabel("Kind of paper").selectOption("Budget monitoring");
      await page.waitForFunction(
        (n) => {
          const s = document.querySelector("[data-bp-search-status]").textContent;
          return /^\d+ results? for “the” in Budget monitoring$/.test(s) && Number(s.split(" ")[0]) < n;
        },
        all,
      );
      await page.locator(".bp-search__result").first().waitFor();
      const kinds = await page.locator(".bp-search__kind").allTextContents();
      assert.ok(kinds.length > 0);
      assert.ok(kinds.every((k) => k.startsWith("Budget monitoring")), kinds.join("; "));
      assert.match(page.url(), /kind=Budget\+monitoring/);
      // The filtered URL opens the same search.
      const period = (await page.locator("select[name=period] option").allTextContents())[1];
      await page.getByLabel("Period").selectOption(period);
      await page.waitForFunction((p) => document.querySelector("[data-bp-search-status]").textContent.endsWith(`in Budget monitoring, ${p}`) || document.querySelector("[data-bp-search-status]").textContent.startsWith("No results"), period);
      const url = page.url();
      await page.goto(url);
      await page.waitForFunction(() => document.querySelector("[data-bp-search-status]").textContent !== "");
      assert.equal(await page.locator("select[name=kind]").inputValue(), "Budget monitoring");
      assert.equal(await page.locator("select[name=period]").inputValue(), period);
      const shown = await page.locator(".bp-search__kind").allTextContents();
      assert.ok(shown.every((k) => k === `Budget monitoring, ${period}`), shown.join("; "));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
