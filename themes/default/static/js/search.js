/* boardpack search. Runs on the search page only: reads the index that `boardpack build` writes
   to search/index.json and shows the reports and pages that contain every word searched for.

   Progressive enhancement: the page says that search needs JavaScript until this script shows
   the form. The search box in every page's header is a plain form that opens this page with
   ?q=words, so it works the same either way.

   Text from the index is only ever written with textContent and text nodes, never as HTML. */
(function () {
  "use strict";

  var root = document.querySelector("[data-bp-search]");
  if (!root || !window.fetch || !window.URLSearchParams || !String.prototype.normalize) {
    return;
  }
  var form = root.querySelector("[data-bp-search-form]");
  var input = form && form.querySelector("input[name=q]");
  var status = root.querySelector("[data-bp-search-status]");
  var list = root.querySelector("[data-bp-search-results]");
  var noJs = root.querySelector("[data-bp-search-no-js]");
  if (!form || !input || !status || !list) {
    return;
  }

  var MAX_TERMS = 10;
  var MAX_SECTIONS = 3;
  var EXCERPT = 220;
  var WORD = /[\p{L}\p{N}]/u;
  var SPLIT = /[^\p{L}\p{N}]+/u;
  var MARKS = /[\u0300-\u036f]/g;
  var baseTitle = document.title;
  var index = null;
  var loading = null;
  var timer = 0;
  var shown = null;

  // Lower case without accents. Each character folds to one of the same length, so that an
  // offset in the folded text is the same offset in the original.
  function foldChar(ch) {
    var f = ch.normalize("NFD").replace(MARKS, "").toLowerCase();
    if (f.length === ch.length) {
      return f;
    }
    f = ch.toLowerCase();
    return f.length === ch.length ? f : ch;
  }
  function fold(s) {
    return s.replace(/[^\x00-\x7f]/gu, foldChar).toLowerCase();
  }

  function load() {
    if (!loading) {
      loading = fetch(root.getAttribute("data-index"), { cache: "no-cache" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          index = (data.pages || []).map(function (p, order) {
            return {
              order: order,
              url: safeUrl(p.u),
              title: String(p.t || ""),
              kind: String(p.k || ""),
              folded: fold(String(p.t || "")),
              foldedKind: fold(String(p.k || "")),
              sections: (p.s || []).map(function (s) {
                var h = String(s.h || "");
                var x = String(s.x || "");
                return { anchor: String(s.a || ""), heading: h, text: x, h: fold(h), x: fold(x) };
              })
            };
          }).filter(function (p) { return p.url !== null; });
          return index;
        });
    }
    return loading;
  }

  // Only links within this site or to http(s) pages; anything else is left out.
  function safeUrl(u) {
    if (typeof u !== "string") {
      return null;
    }
    try {
      var url = new URL(u, document.baseURI);
      return /^(https?|file):$/.test(url.protocol) ? u : null;
    } catch (e) {
      return null;
    }
  }

  function termsOf(query) {
    var seen = {};
    var terms = fold(query).split(SPLIT).filter(function (t) {
      if (!t || seen[t]) {
        return false;
      }
      seen[t] = true;
      return true;
    });
    // One-letter words match almost everything; keep them only when nothing else is asked.
    var longer = terms.filter(function (t) { return t.length > 1; });
    return (longer.length ? longer : terms).slice(0, MAX_TERMS);
  }

  // Occurrences of `term` at the start of a word in `text`: a whole word counts 2, the start
  // of a longer word 1. Returns the score (up to `limit`) and the first position.
  function hits(text, term, limit) {
    var score = 0;
    var first = -1;
    var from = 0;
    while (score < limit) {
      var i = text.indexOf(term, from);
      if (i < 0) {
        break;
      }
      from = i + 1;
      if (i > 0 && WORD.test(text.charAt(i - 1))) {
        continue;
      }
      score += WORD.test(text.charAt(i + term.length)) ? 1 : 2;
      if (first < 0) {
        first = i;
      }
    }
    return { score: score, first: first };
  }

  function search(terms) {
    var results = [];
    index.forEach(function (page) {
      var found = terms.map(function () { return false; });
      var score = 0;
      terms.forEach(function (term, t) {
        var h = hits(page.folded, term, 4);
        var k = hits(page.foldedKind, term, 2);
        if (h.first >= 0 || k.first >= 0) {
          found[t] = true;
          score += 10 * h.score + 3 * k.score;
        }
      });
      var sections = [];
      page.sections.forEach(function (s) {
        var sScore = 0;
        var first = -1;
        terms.forEach(function (term, t) {
          var inHeading = hits(s.h, term, 4);
          var inText = hits(s.x, term, 10);
          if (inHeading.first >= 0 || inText.first >= 0) {
            found[t] = true;
          }
          sScore += 5 * inHeading.score + inText.score;
          if (inText.first >= 0 && (first < 0 || inText.first < first)) {
            first = inText.first;
          }
        });
        if (sScore > 0) {
          sections.push({ section: s, score: sScore, first: first });
        }
      });
      if (!found.every(Boolean)) {
        return;
      }
      sections.sort(function (a, b) { return b.score - a.score; });
      sections.forEach(function (s, i) {
        if (i < MAX_SECTIONS) {
          score += s.score;
        }
      });
      results.push({ page: page, score: score, sections: sections });
    });
    results.sort(function (a, b) {
      return b.score - a.score || a.page.order - b.page.order;
    });
    return results;
  }

  // The part of `text` around position `at`, cut at spaces, with every term marked.
  function excerpt(text, folded, at, terms) {
    var p = document.createElement("p");
    p.className = "bp-search__excerpt";
    var start = 0;
    var end = text.length;
    if (text.length > EXCERPT) {
      start = Math.max(0, (at < 0 ? 0 : at) - 60);
      if (start > 0) {
        var space = text.indexOf(" ", start);
        start = space >= 0 && space < start + 20 ? space + 1 : start;
      }
      end = Math.min(text.length, start + EXCERPT);
      if (end < text.length) {
        var back = text.lastIndexOf(" ", end);
        end = back > start + EXCERPT / 2 ? back : end;
      }
    }
    // Marked ranges: each term at the start of a word, overlaps merged.
    var ranges = [];
    terms.forEach(function (term) {
      var from = start;
      for (;;) {
        var i = folded.indexOf(term, from);
        if (i < 0 || i >= end) {
          break;
        }
        from = i + 1;
        if (i > 0 && WORD.test(folded.charAt(i - 1))) {
          continue;
        }
        ranges.push([i, Math.min(i + term.length, end)]);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) {
        last[1] = Math.max(last[1], r[1]);
      } else {
        merged.push([r[0], r[1]]);
      }
    });
    var pos = start;
    if (start > 0) {
      p.appendChild(document.createTextNode("… "));
    }
    merged.forEach(function (r) {
      p.appendChild(document.createTextNode(text.slice(pos, r[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(r[0], r[1]);
      p.appendChild(mark);
      pos = r[1];
    });
    p.appendChild(document.createTextNode(text.slice(pos, end) + (end < text.length ? " …" : "")));
    return p;
  }

  function render(query, terms, results) {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    results.forEach(function (r) {
      var li = document.createElement("li");
      li.className = "bp-search__result";
      var h = document.createElement("h2");
      h.className = "bp-search__title";
      var a = document.createElement("a");
      a.href = r.page.url;
      a.textContent = r.page.title;
      h.appendChild(a);
      li.appendChild(h);
      var kind = document.createElement("p");
      kind.className = "bp-search__kind";
      kind.textContent = r.page.kind;
      li.appendChild(kind);
      var sections = r.sections.slice(0, MAX_SECTIONS);
      if (sections.length) {
        var ul = document.createElement("ul");
        ul.className = "bp-search__sections";
        sections.forEach(function (s) {
          var item = document.createElement("li");
          if (s.section.heading) {
            var link = document.createElement("a");
            link.href = r.page.url + (s.section.anchor ? "#" + encodeURIComponent(s.section.anchor) : "");
            link.className = "bp-search__section-link";
            link.textContent = s.section.heading;
            item.appendChild(link);
          }
          if (s.section.text) {
            item.appendChild(excerpt(s.section.text, s.section.x, s.first, terms));
          }
          ul.appendChild(item);
        });
        li.appendChild(ul);
        var more = r.sections.length - sections.length;
        if (more > 0) {
          var p = document.createElement("p");
          p.className = "bp-search__more";
          p.textContent = "and " + more + " more " + (more === 1 ? "part" : "parts") + " of this page";
          li.appendChild(p);
        }
      }
      list.appendChild(li);
    });
    list.hidden = results.length === 0;
    var quoted = "“" + query + "”";
    if (results.length === 0) {
      status.textContent = "No results for " + quoted + ". Check the spelling, or search for fewer words.";
    } else {
      status.textContent = results.length + (results.length === 1 ? " result" : " results") + " for " + quoted;
    }
    document.title = "Search results for " + quoted + " – " + baseTitle;
  }

  function clear() {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    list.hidden = true;
    status.textContent = "";
    document.title = baseTitle;
  }

  function run(query, record) {
    query = query.trim();
    if (record) {
      var url = new URL(window.location.href);
      if (query) {
        url.searchParams.set("q", query);
      } else {
        url.searchParams.delete("q");
      }
      window.history.replaceState(null, "", url.toString());
    }
    if (query === shown) {
      return;
    }
    var terms = termsOf(query);
    if (!terms.length) {
      shown = query;
      clear();
      return;
    }
    if (!index) {
      status.textContent = "Loading the search index…";
    }
    load().then(function () {
      if (input.value.trim() !== query) {
        return; // a newer search is on its way
      }
      shown = query;
      render(query, terms, search(terms));
    }, function () {
      shown = null;
      status.textContent = "Search is not available: the search index could not be loaded. The home page lists every report.";
    });
  }

  if (noJs) {
    noJs.hidden = true;
  }
  form.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    shown = null;
    run(input.value, true);
  });
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { run(input.value, true); }, 250);
  });
  var initial = new URLSearchParams(window.location.search).get("q") || "";
  input.value = initial;
  if (initial.trim()) {
    run(initial, false);
  }
})();
