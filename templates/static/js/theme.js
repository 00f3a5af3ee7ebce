/* Light/dark toggle for the sitegen default theme.
   base.html has already set <html data-theme> before first paint; this script keeps it in step:
   - a click on #theme-toggle switches the theme and remembers it in localStorage["sitegen-theme"];
   - while the reader has made no choice, the theme follows prefers-color-scheme live;
   - every change fires document "sitegen:theme" with detail.theme, for the animation player.
   It also opens and closes the header's menu (.nav-toggle), which holds the links on a phone. */
(function () {
  "use strict";

  var KEY = "sitegen-theme";
  var root = document.documentElement;
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  // localStorage throws in some private modes and when storage is blocked; never let that break the page.
  function storedTheme() {
    try {
      var value = window.localStorage.getItem(KEY);
      return value === "light" || value === "dark" ? value : null;
    } catch (e) {
      return null;
    }
  }

  function storeTheme(theme) {
    try {
      window.localStorage.setItem(KEY, theme);
    } catch (e) { /* the choice lasts for this page only */ }
  }

  function systemTheme() {
    return media && media.matches ? "dark" : "light";
  }

  function currentTheme() {
    return root.getAttribute("data-theme") === "dark" ? "dark" : "light";
  }

  function syncButton(theme) {
    var button = document.getElementById("theme-toggle");
    if (!button) return;
    var dark = theme === "dark";
    // The accessible name stays "Dark theme"; aria-pressed says whether it is on.
    button.setAttribute("aria-pressed", dark ? "true" : "false");
    button.setAttribute("title", dark ? "Switch to light theme" : "Switch to dark theme");
  }

  function applyTheme(theme) {
    var changed = theme !== currentTheme();
    root.setAttribute("data-theme", theme);
    syncButton(theme);
    if (!changed) return;
    var event;
    try {
      event = new CustomEvent("sitegen:theme", { detail: { theme: theme } });
    } catch (e) {
      event = document.createEvent("CustomEvent");
      event.initCustomEvent("sitegen:theme", false, false, { theme: theme });
    }
    document.dispatchEvent(event);
  }

  function onToggle() {
    var next = currentTheme() === "dark" ? "light" : "dark";
    storeTheme(next);
    applyTheme(next);
  }

  function onSystemChange() {
    if (!storedTheme()) applyTheme(systemTheme());
  }

  // The phone menu: the button says whether it is open; Escape, a click elsewhere or following a link closes it.
  function setupMenu() {
    var button = document.querySelector(".nav-toggle");
    var nav = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) return;
    function setOpen(open, focusButton) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-open", open);
      if (!open && focusButton) button.focus();
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("is-open")) setOpen(false, true);
    });
    document.addEventListener("click", function (event) {
      if (!button.contains(event.target) && !nav.contains(event.target)) setOpen(false);
    });
  }

  function init() {
    applyTheme(storedTheme() || currentTheme());
    setupMenu();
    var button = document.getElementById("theme-toggle");
    if (button) button.addEventListener("click", onToggle);
    if (media) {
      if (media.addEventListener) media.addEventListener("change", onSystemChange);
      else if (media.addListener) media.addListener(onSystemChange);
    }
    // Another tab changed the choice: follow it.
    window.addEventListener("storage", function (event) {
      if (event.key !== KEY) return;
      applyTheme(storedTheme() || systemTheme());
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
