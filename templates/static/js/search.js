/* The header's search box, on Pagefind's JavaScript API (site/pagefind/pagefind.js, written by the build).
   - the index loads when the box first opens, not with every page;
   - the header's button opens the box below the header; "/" opens it too (not while typing in another
     field); the arrow keys move through the results, Enter opens the chosen one (or the first), Escape,
     a click elsewhere or Tab past it closes the box;
   - a page opened from disk (file://) cannot load the index: the box says the site must be served.
   Pagefind finds its files, and makes the results' URLs, from where pagefind.js was loaded, so both
   follow the site's base path. */
(function () {
  "use strict";

  var SHOWN = 8; // results listed; the count says how many there are
  var form = document.querySelector(".site-search");
  if (!form) return;
  var input = form.querySelector(".site-search__input");
  var toggle = form.querySelector(".search-toggle");
  var panel = form.querySelector(".site-search__panel");
  var status = form.querySelector(".site-search__status");
  var list = form.querySelector(".site-search__results");
  var engine = null; // the promise of Pagefind's module, made on first use
  var asked = 0; // the latest search's number: an answer to an older one is dropped
  var active = -1; // the result the arrow keys chose

  function load() {
    if (!engine) {
      var source = new URL(form.getAttribute("data-index-src"), document.baseURI).href;
      engine = import(source).then(function (pagefind) {
        return Promise.resolve(pagefind.options({ excerptLength: 22 }))
          .then(function () { return pagefind.init(); }) // its metadata and WebAssembly, before the first word
          .then(function () { return pagefind; });
      });
      engine.catch(function () { engine = null; }); // a network hiccup: the next search tries again
    }
    return engine;
  }

  function setOpen(open) {
    panel.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function setBoxOpen(open, focusButton) {
    form.classList.toggle("is-open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      input.focus();
    } else {
      setOpen(false);
      if (focusButton) toggle.focus();
    }
  }

  function say(text) {
    list.textContent = "";
    choose(-1);
    status.textContent = text;
    setOpen(true);
  }

  function search() {
    var term = input.value.trim();
    var number = ++asked;
    if (!term) {
      list.textContent = "";
      status.textContent = "";
      setOpen(false);
      return;
    }
    if (window.location.protocol === "file:") {
      say("Search needs the site to be served (sitegen serve, or any web server): a page opened from a file cannot load the index.");
      return;
    }
    load()
      .then(function (pagefind) { return pagefind.debouncedSearch(term, {}, 120); })
      .then(function (found) {
        if (!found || number !== asked) return null; // a newer term superseded this one
        var first = found.results.slice(0, SHOWN).map(function (result) { return result.data(); });
        return Promise.all(first).then(function (items) {
          if (number === asked) show(items, found.results.length, term);
        });
      })
      .catch(function () {
        if (number === asked) say("Search is not available right now.");
      });
  }

  function show(items, total, term) {
    list.textContent = "";
    items.forEach(function (item, index) { list.appendChild(resultItem(item, index)); });
    choose(-1);
    if (!total) status.textContent = "No results for \u201c" + term + "\u201d";
    else if (total === 1) status.textContent = "1 result";
    else status.textContent = total + " results" + (total > items.length ? ", the first " + items.length + " shown" : "");
    setOpen(true);
  }

  function resultItem(item, index) {
    var li = document.createElement("li");
    li.id = "site-search-result-" + index;
    li.className = "site-search__result";
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    var link = document.createElement("a");
    link.href = item.url;
    link.tabIndex = -1; // the box keeps the focus; the arrow keys choose
    var title = (item.meta && item.meta.title) || "";
    link.appendChild(part("site-search__title", title || item.url));
    if (item.meta && item.meta.date) link.appendChild(part("site-search__date", item.meta.date));
    link.appendChild(marked(part("site-search__excerpt", ""), item.excerpt || "", title));
    li.appendChild(link);
    return li;
  }

  function part(className, text) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    return span;
  }

  // Pagefind's excerpt is the page's text, escaped, with <mark> around the words found: each piece goes in
  // as text (its entities decoded), and only those marks become elements. The page's text starts with its
  // title ("Title. …"), shown above the excerpt already: an excerpt that starts there skips it.
  var ENTITIES = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": "\"", "&#39;": "'" };

  function decode(text) {
    return text.replace(/&(?:lt|gt|amp|quot|#39);/g, function (entity) { return ENTITIES[entity]; });
  }

  function marked(target, excerpt, title) {
    var opening = title + ". ";
    var skip = title && decode(excerpt.replace(/<\/?mark>/g, "")).indexOf(opening) === 0 ? opening.length : 0;
    var inside = false;
    excerpt.split(/(<mark>|<\/mark>)/).forEach(function (piece) {
      if (piece === "<mark>" || piece === "</mark>") {
        inside = piece === "<mark>";
        return;
      }
      var text = decode(piece);
      var cut = Math.min(skip, text.length);
      text = text.slice(cut);
      skip -= cut;
      if (!text) return;
      var node = inside ? document.createElement("mark") : document.createTextNode(text);
      if (inside) node.textContent = text;
      target.appendChild(node);
    });
    return target;
  }

  function options() {
    return list.querySelectorAll(".site-search__result");
  }

  function choose(index) {
    var items = options();
    active = index;
    for (var i = 0; i < items.length; i++) {
      items[i].setAttribute("aria-selected", i === index ? "true" : "false");
    }
    if (index >= 0 && items[index]) {
      input.setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function onKey(event) {
    var count = options().length;
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && count && !panel.hidden) {
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      choose(active < 0 && step < 0 ? count - 1 : (active + step + count) % count);
    } else if (event.key === "Enter") {
      event.preventDefault(); // the form has nowhere to go without the script
      var chosen = options()[active < 0 ? 0 : active];
      if (chosen && !panel.hidden) window.location.assign(chosen.querySelector("a").href);
    } else if (event.key === "Escape") {
      event.preventDefault(); // a search field would clear itself; the term stays for the next look
      setBoxOpen(false, true);
    }
  }

  function typingElsewhere(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function init() {
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    input.addEventListener("input", search);
    input.addEventListener("keydown", onKey);
    input.addEventListener("focus", function () {
      if (window.location.protocol !== "file:") load();
      if (input.value.trim() && (options().length || status.textContent)) setOpen(true);
    });
    toggle.addEventListener("click", function () { setBoxOpen(!form.classList.contains("is-open")); });
    list.addEventListener("mousemove", function (event) {
      var item = event.target.closest && event.target.closest(".site-search__result");
      if (item) choose(Array.prototype.indexOf.call(options(), item));
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || typingElsewhere(event.target)) return;
      event.preventDefault();
      setBoxOpen(true);
    });
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) setBoxOpen(false);
    });
    form.addEventListener("focusout", function (event) {
      // Tab moved on past the box (a click elsewhere, where there is no next focus, is the listener above)
      if (event.relatedTarget && !form.contains(event.relatedTarget)) setBoxOpen(false);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
