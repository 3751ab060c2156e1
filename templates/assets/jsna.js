/* jsna: the little the pages do with JavaScript. Every page works without it: a chapter's
   sections are <details> elements that open and close by themselves, and open when printed
   (style.css) or reached by a link (the browser). This adds "Expand all" and "Collapse all",
   opens sections for browsers that do not do so themselves, and runs search with Pagefind's
   index, which the build writes to pagefind/ beside this site's pages. No request leaves the site. */
(function () {
  "use strict";

  var script = document.currentScript;
  var siteRoot = new URL("../", script ? script.src : document.baseURI);

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  // Expand all and Collapse all ------------------------------------------------------------
  var controls = document.querySelector(".jsna-section-controls");
  if (controls) {
    var setAll = function (open) {
      all("details.jsna-section").forEach(function (section) {
        section.open = open;
      });
    };
    controls.querySelector("[data-jsna-expand]").addEventListener("click", function () {
      setAll(true);
    });
    controls.querySelector("[data-jsna-collapse]").addEventListener("click", function () {
      setAll(false);
    });
    controls.hidden = false;
  }

  // A link to something inside a closed section opens the section ---------------------------
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    var opened = false;
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS" && !node.open) {
        node.open = true;
        opened = true;
      }
    }
    if (opened) target.scrollIntoView();
  }
  window.addEventListener("hashchange", reveal);
  reveal();

  // Printing opens everything, and puts it back afterwards ----------------------------------
  var closedBeforePrint = [];
  window.addEventListener("beforeprint", function () {
    closedBeforePrint = all("details:not([open])");
    closedBeforePrint.forEach(function (details) {
      details.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    closedBeforePrint.forEach(function (details) {
      details.open = false;
    });
    closedBeforePrint = [];
  });

  // Search ---------------------------------------------------------------------------------
  var searchArea = document.querySelector("[data-jsna-search]");
  if (searchArea) search(searchArea);

  function search(area) {
    var status = area.querySelector("[data-jsna-search-status]");
    var list = area.querySelector("[data-jsna-search-results]");
    var input = document.getElementById("search-q");
    var query = (new URLSearchParams(location.search).get("q") || "").trim();
    area.querySelector("[data-jsna-search-nojs]").hidden = true;
    input.value = query;
    if (!query) {
      status.textContent = "Enter a word or phrase to search every chapter.";
      return;
    }
    document.title = "Search results for \u2018" + query + "\u2019: " + document.title.replace(/^Search: /, "");
    status.textContent = "Searching\u2026";
    import(new URL("pagefind/pagefind.js", siteRoot).href)
      .then(function (pagefind) {
        return pagefind.options({ baseUrl: siteRoot.pathname }).then(function () {
          return pagefind.search(query);
        });
      })
      .then(function (found) {
        return Promise.all(found.results.slice(0, 30).map(function (result) {
          return result.data();
        }));
      })
      .then(function (all) {
        var terms = searchTerms(query);
        var results = all.filter(function (result) {
          return holdsEvery(result, terms);
        });
        results.forEach(function (result) {
          list.appendChild(resultItem(result));
        });
        var count = results.length === 1 ? "1 chapter" : results.length + " chapters";
        status.textContent = results.length
          ? count + " found for \u2018" + query + "\u2019."
          : "No chapters found for \u2018" + query + "\u2019. Check the spelling or try another word.";
      })
      .catch(function () {
        status.textContent = "Search is not available on this copy of the site. Every chapter is listed on the home page.";
      });
  }

  // Pagefind matches a word that no page holds to the longest word of the site that begins it
  // ("Harwich" to an initial "H.", "Inverness" to "in"), so a word on no page would find
  // chapters. A result is kept only where each word searched for is at a place Pagefind found:
  // a word there begins with it, or the two differ only in an ending ("services", "service").
  function searchTerms(query) {
    return query.toLowerCase().split(/\s+/).map(bare).filter(Boolean);
  }

  function bare(word) {
    return word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
  }

  function sameWord(word, term) {
    if (word.indexOf(term) === 0) return true;
    var common = 0;
    while (common < word.length && common < term.length && word[common] === term[common]) common += 1;
    return common >= term.length - 3 && common >= Math.min(4, term.length - 1);
  }

  function holdsEvery(result, terms) {
    // Pagefind's locations count the words of its content split at white space.
    var words = (result.content || "").split(/[\r\n\s]+/g);
    var found = [];
    (result.locations || []).forEach(function (index) {
      var word = bare(words[index] || "");
      found.push(word);
      found.push.apply(found, word.split(/[^\p{L}\p{N}]+/u)); // "asylum-seeking": each part too
    });
    return terms.every(function (term) {
      return found.some(function (word) {
        return word && sameWord(word, term);
      });
    });
  }

  function resultItem(result) {
    var item = document.createElement("li");
    var heading = document.createElement("h2");
    heading.className = "govuk-heading-s";
    var link = document.createElement("a");
    link.className = "govuk-link";
    link.href = result.url;
    link.textContent = (result.meta && result.meta.title) || result.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var excerpt = document.createElement("p");
    excerpt.className = "govuk-body";
    appendExcerpt(excerpt, result.excerpt || "");
    item.appendChild(excerpt);
    return item;
  }

  // Pagefind's excerpt is HTML with <mark> around the words found: keep the text and the marks only.
  function appendExcerpt(into, html) {
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html").body;
    parsed.firstChild.childNodes.forEach(function (node) {
      if (node.nodeType === 1 && node.tagName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        into.appendChild(mark);
      } else {
        into.appendChild(document.createTextNode(node.textContent));
      }
    });
  }
})();
