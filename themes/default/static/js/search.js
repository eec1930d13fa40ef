/* boardpack search. Runs on the search page only: asks the pagefind index that `boardpack build`
   writes to search/pagefind/ for the reports and pages that match, and shows them 20 at a time.

   pagefind's index is split into chunks: a query loads the few it needs (the words searched
   for, then one fragment per result shown), never the whole index, so a large site's search
   starts as quickly as a small one's.

   Progressive enhancement: the page says that search needs JavaScript until this script shows
   the form. The search box in every page's header is a plain form that opens this page with
   ?q=words, so it works the same either way.

   Text from the index is only ever written with textContent, text nodes and <mark> elements
   made here, never as HTML. */
(function () {
  "use strict";

  var root = document.querySelector("[data-bp-search]");
  if (!root || !window.fetch || !window.URLSearchParams || !window.Promise) {
    return;
  }
  var form = root.querySelector("[data-bp-search-form]");
  var input = form && form.querySelector("input[name=q]");
  var status = root.querySelector("[data-bp-search-status]");
  var list = root.querySelector("[data-bp-search-results]");
  var moreBox = root.querySelector("[data-bp-search-more-box]");
  var more = root.querySelector("[data-bp-search-more]");
  var shownStatus = root.querySelector("[data-bp-search-shown]");
  var noJs = root.querySelector("[data-bp-search-no-js]");
  if (!form || !input || !status || !list || !more || !moreBox || !shownStatus) {
    return;
  }

  var PAGE = 20;
  var MAX_SECTIONS = 3;
  var FILTERS = ["kind", "period", "programme"];
  var baseTitle = document.title;
  var loading = null;
  var timer = 0;
  var shown = null;
  // Each search has a number, so that the answer to an older one is never shown over a newer.
  var generation = 0;
  var results = [];
  var count = 0;
  var query = "";

  function load() {
    if (!loading) {
      var url = new URL(root.getAttribute("data-bundle"), document.baseURI).href;
      loading = import(url).then(function (pagefind) {
        // Result URLs are the pages' own, base URL included.
        return pagefind.options({ baseUrl: "/", excerptLength: 30 }).then(function () {
          return pagefind.init();
        }).then(function () {
          return pagefind;
        });
      });
      loading.catch(function () {
        loading = null; // try again on the next search
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
      return /^(https?|file):$/.test(url.protocol) ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function selected() {
    var filters = {};
    FILTERS.forEach(function (name) {
      var select = form.elements[name];
      if (select && select.value) {
        filters[name] = select.value;
      }
    });
    return filters;
  }

  // pagefind's excerpts are its text with `<` and `>` escaped and the words found wrapped in
  // <mark>: split at the marks and write each piece as text.
  function excerpt(text) {
    var p = document.createElement("p");
    p.className = "bp-search__excerpt";
    var marked = false;
    String(text || "").split(/(<mark>|<\/mark>)/).forEach(function (piece) {
      if (piece === "<mark>") {
        marked = true;
        return;
      }
      if (piece === "</mark>") {
        marked = false;
        return;
      }
      if (!piece) {
        return;
      }
      var plain = piece.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
      if (marked) {
        var mark = document.createElement("mark");
        mark.textContent = plain;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(plain));
      }
    });
    return p;
  }

  function item(data) {
    var url = safeUrl(data.url);
    var meta = data.meta || {};
    var li = document.createElement("li");
    li.className = "bp-search__result";
    var h = document.createElement("h2");
    h.className = "bp-search__title";
    var a = document.createElement("a");
    if (url) {
      a.href = url;
    }
    a.textContent = String(meta.title || data.url || "");
    h.appendChild(a);
    li.appendChild(h);
    if (meta.summary) {
      var kind = document.createElement("p");
      kind.className = "bp-search__kind";
      kind.textContent = String(meta.summary);
      li.appendChild(kind);
    }
    // The parts of the page that matched, by their headings; the top of the page has none.
    var parts = (data.sub_results || []).filter(function (s) {
      return s && safeUrl(s.url);
    });
    var sections = parts.slice(0, MAX_SECTIONS);
    if (sections.length) {
      var ul = document.createElement("ul");
      ul.className = "bp-search__sections";
      sections.forEach(function (s) {
        var part = document.createElement("li");
        var target = safeUrl(s.url);
        if (target !== url && s.title) {
          var link = document.createElement("a");
          link.href = target;
          link.className = "bp-search__section-link";
          link.textContent = String(s.title);
          part.appendChild(link);
        }
        part.appendChild(excerpt(s.excerpt));
        ul.appendChild(part);
      });
      li.appendChild(ul);
      var left = parts.length - sections.length;
      if (left > 0) {
        var p = document.createElement("p");
        p.className = "bp-search__more";
        p.textContent = "and " + left + " more " + (left === 1 ? "part" : "parts") + " of this page";
        li.appendChild(p);
      }
    } else if (data.excerpt) {
      li.appendChild(excerpt(data.excerpt));
    }
    return li;
  }

  function clearList() {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    list.hidden = true;
    moreBox.hidden = true;
    shownStatus.textContent = "";
  }

  function busy(on) {
    root.classList.toggle("bp-search--busy", on);
    if (on) {
      root.setAttribute("aria-busy", "true");
    } else {
      root.removeAttribute("aria-busy");
    }
  }

  function described(q, filters) {
    var words = q ? "“" + q + "”" : "everything";
    var names = FILTERS.filter(function (f) { return filters[f]; }).map(function (f) {
      return filters[f];
    });
    return names.length ? words + " in " + names.join(", ") : words;
  }

  // Show the next PAGE results, loading each one's fragment of the index.
  function showMore(gen, focusFirst) {
    var batch = results.slice(count, count + PAGE);
    if (!batch.length) {
      return Promise.resolve();
    }
    more.disabled = true;
    busy(true);
    shownStatus.textContent = "Loading results " + (count + 1) + " to " + (count + batch.length) + "…";
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (pages) {
      if (gen !== generation) {
        return;
      }
      var first = null;
      pages.forEach(function (data) {
        var li = item(data);
        first = first || li;
        list.appendChild(li);
      });
      list.hidden = false;
      count += batch.length;
      busy(false);
      more.disabled = false;
      shownStatus.textContent = "Showing " + (count === results.length ? "all " + count : "1 to " + count + " of " + results.length) + ".";
      var left = Math.min(PAGE, results.length - count);
      moreBox.hidden = left <= 0;
      more.textContent = "Show " + left + " more " + (left === 1 ? "result" : "results");
      if (focusFirst && first) {
        var link = first.querySelector("a");
        if (link) {
          link.focus();
        }
      }
    }, function () {
      if (gen === generation) {
        busy(false);
        more.disabled = false;
        shownStatus.textContent = "These results could not be loaded. Try again.";
      }
    });
  }

  function run(q, record) {
    q = q.trim();
    var filters = selected();
    if (record) {
      var url = new URL(window.location.href);
      url.searchParams.delete("q");
      FILTERS.forEach(function (f) { url.searchParams.delete(f); });
      if (q) {
        url.searchParams.set("q", q);
      }
      FILTERS.forEach(function (f) {
        if (filters[f]) {
          url.searchParams.set(f, filters[f]);
        }
      });
      window.history.replaceState(null, "", url.toString());
    }
    var key = JSON.stringify([q, filters]);
    if (key === shown) {
      return;
    }
    shown = key;
    var gen = ++generation;
    clearList();
    results = [];
    count = 0;
    query = q;
    if (!q && !Object.keys(filters).length) {
      busy(false);
      status.textContent = "";
      document.title = baseTitle;
      return;
    }
    busy(true);
    status.textContent = loading ? "Searching…" : "Loading search…";
    load().then(function (pagefind) {
      if (gen !== generation) {
        return null;
      }
      status.textContent = "Searching…";
      return pagefind.search(q || null, { filters: filters });
    }).then(function (search) {
      if (gen !== generation || !search) {
        return;
      }
      results = search.results || [];
      var what = described(query, filters);
      document.title = "Search results for " + what + " – " + baseTitle;
      if (!results.length) {
        busy(false);
        status.textContent = "No results for " + what + ". Check the spelling, search for fewer words, or choose fewer filters.";
        return;
      }
      status.textContent = results.length + (results.length === 1 ? " result" : " results") + " for " + what;
      return showMore(gen, false);
    }).catch(function () {
      if (gen === generation) {
        shown = null;
        busy(false);
        status.textContent = "Search is not available: the search index could not be loaded. The home page lists every report.";
      }
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
  FILTERS.forEach(function (name) {
    var select = form.elements[name];
    if (select) {
      select.addEventListener("change", function () {
        window.clearTimeout(timer);
        run(input.value, true);
      });
    }
  });
  more.addEventListener("click", function () {
    showMore(generation, true);
  });

  var params = new URLSearchParams(window.location.search);
  var initial = params.get("q") || "";
  input.value = initial;
  var filtered = false;
  FILTERS.forEach(function (name) {
    var select = form.elements[name];
    var value = params.get(name);
    if (select && value) {
      // Only a value the page offers: a stale link's filter is dropped, not searched for.
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === value) {
          select.value = value;
          filtered = true;
        }
      }
    }
  });
  if (initial.trim() || filtered) {
    run(initial, false);
  }
})();
