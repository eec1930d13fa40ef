// What a reader sees of a page at one width, measured in one evaluate(): whether the page
// scrolls sideways, the header's height, each table's width against its box, whether its
// status (or RAG) tags are in view or the table shows a cue that it scrolls, and the size of
// every chart's text as rendered.

/** Runs in the page. Returns plain data. */
export async function measure() {
  // Scroll timelines (which show the tables' cues) start on the frames after the first layout.
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const vw = document.documentElement.clientWidth;
  const header = document.querySelector(".bp-header");
  const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  const tables = [...document.querySelectorAll("main table")].filter(visible).map((table) => {
    const wrap = table.closest(".bp-table-wrap");
    const box = (wrap ?? table.parentElement).getBoundingClientRect();
    const right = Math.min(box.right, vw);
    const scrolls = wrap ? wrap.scrollWidth > wrap.clientWidth + 1 : false;
    const cue = wrap ? getComputedStyle(wrap, "::before") : null;
    const caption = table.querySelector("caption");
    const tags = [...table.querySelectorAll(".bp-tag")].filter(visible);
    return {
      caption: (caption?.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 60),
      width: Math.round(table.getBoundingClientRect().width),
      box: Math.round(box.width),
      scrolls,
      cue: Boolean(cue && cue.display !== "none" && cue.content.includes("Scroll")),
      captionCut: caption ? caption.getBoundingClientRect().right > right + 1 : false,
      tags: tags.length,
      tagsOut: tags.filter((t) => t.getBoundingClientRect().right > right + 1).length,
    };
  });
  const texts = [...document.querySelectorAll("main svg text")].filter(visible).map((t) => {
    const m = t.getScreenCTM();
    const scale = m ? Math.hypot(m.a, m.b) : 1;
    return { text: t.textContent.slice(0, 30), px: parseFloat(getComputedStyle(t).fontSize) * scale };
  });
  return {
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    header: header ? Math.round(header.getBoundingClientRect().height) : 0,
    tables,
    chartText: texts.length ? Math.min(...texts.map((t) => t.px)) : null,
    smallText: texts.filter((t) => t.px < 12).slice(0, 3),
  };
}
