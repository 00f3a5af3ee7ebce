/* sitegen animation player: plays each animation only while it is on screen, follows the page's
   light/dark theme, keeps only the <source>s this browser says it can play (they come smallest
   first: AV1 or VP9 WebM, then the H.264 MP4), falls back to the GIF where no video plays, and
   respects prefers-reduced-motion. A post's figures get their control bar from player.js
   (window.sitegenPlayer) where the page loads it; elsewhere they keep the browser's own controls.
   No dependencies. */
(function () {
  "use strict";
  var reduce = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : { matches: false };

  function theme() {
    return document.documentElement.dataset.theme === "dark" ? "dark" : "light";
  }
  function pick(el, fmt) {
    return el.getAttribute("data-" + theme() + "-" + fmt) || el.getAttribute("data-light-" + fmt) ||
      el.getAttribute("data-dark-" + fmt);
  }
  function typeOf(el, fmt) {
    return pick(el, fmt + "-type");
  }
  // Drop the <source>s whose exact type (codecs included) this browser cannot play; true if one is left.
  function keepPlayable(video) {
    var sources = video.querySelectorAll("source");
    var left = 0;
    for (var i = 0; i < sources.length; i++) {
      var type = typeOf(video, sources[i].getAttribute("data-format")) || sources[i].type;
      if (type && !video.canPlayType(type)) sources[i].parentNode.removeChild(sources[i]);
      else left++;
    }
    return left > 0;
  }

  function toGif(video) {
    var gif = pick(video, "gif");
    if (!gif) return video;
    var img = document.createElement("img");
    img.className = "animation__gif";
    img.width = video.width;
    img.height = video.height;
    img.alt = video.getAttribute("aria-label") || "";
    img.setAttribute("data-animation", "");
    for (var i = 0; i < video.attributes.length; i++) {
      var a = video.attributes[i];
      if (/^data-((light|dark)-|fps$|frames$|autoplay$)/.test(a.name)) img.setAttribute(a.name, a.value);
    }
    img.src = gifPaused(img) ? (pick(video, "poster") || gif) : gif;
    video.parentNode.replaceChild(img, video);
    return img;
  }

  // Point the <source>s and poster at the current theme's files; true when anything changed.
  function setSources(video) {
    var changed = false;
    var sources = video.querySelectorAll("source");
    for (var i = 0; i < sources.length; i++) {
      var fmt = sources[i].getAttribute("data-format");
      var src = pick(video, fmt), type = typeOf(video, fmt);
      if (src && sources[i].getAttribute("src") !== src) { sources[i].setAttribute("src", src); changed = true; }
      if (type && sources[i].getAttribute("type") !== type) sources[i].setAttribute("type", type);
    }
    var poster = pick(video, "poster");
    if (poster && video.getAttribute("poster") !== poster) { video.poster = poster; changed = true; }
    return changed;
  }

  // A GIF "pauses" by showing the poster: under reduced motion until the reader plays it (player.js).
  function gifPaused(img) {
    return img.dataset.paused ? img.dataset.paused === "1" : reduce.matches;
  }

  function follow(el) {
    if (el.tagName === "IMG") {
      var fmt = el.classList.contains("animation__poster") || gifPaused(el) ? "poster" : "gif";
      var src = pick(el, fmt) || pick(el, "gif");
      if (src && el.getAttribute("src") !== src) el.src = src;
      return;
    }
    var wasPlaying = !el.paused;
    var time = el.currentTime;
    if (!setSources(el)) return;
    el.load();  // a <video> only reads its <source>s again when loaded again
    if (wasPlaying || time > 0) {
      el.addEventListener("loadedmetadata", function resume() {
        el.removeEventListener("loadedmetadata", resume);
        try { el.currentTime = time; } catch (e) { /* not seekable yet */ }
        if (wasPlaying) playSafely(el);
      });
    }
  }

  function load(video) {
    if (!video.dataset.loaded) { video.dataset.loaded = "1"; video.preload = "auto"; }
  }

  function player() {
    return window.sitegenPlayer || null;
  }

  // A play() the browser refuses (autoplay with sound, say) leaves the video paused: the reader needs a
  // way to start it, the bar's play button or else the browser's controls.
  function playSafely(video) {
    var p = video.play();
    if (p && p.catch) p.catch(function () { if (!video.sitegenBar) video.controls = !video.hasAttribute("data-card"); });
  }

  // Readers' own pause is kept: scrolling back into view does not undo it.
  function autoplays(video) {
    return video.hasAttribute("data-autoplay") && !reduce.matches && !video.dataset.userPaused;
  }

  function inFigure(el) {
    return !el.hasAttribute("data-card") && el.closest("figure.animation") !== null;
  }

  function setup(el) {
    if (el.tagName !== "VIDEO") {
      follow(el);
      if (inFigure(el) && player()) player().attach(el, { follow: follow, load: load });
      return null;
    }
    if (!keepPlayable(el)) {
      var gif = toGif(el);
      if (gif !== el) setup(gif);
      return null;
    }
    var auto = el.hasAttribute("data-autoplay") && !reduce.matches;
    el.controls = !el.hasAttribute("data-card") && (!auto || el.hasAttribute("data-controls"));
    if (setSources(el)) el.load();  // the page may already be dark: pick that variant before anything plays
    if (inFigure(el) && player()) {
      el.controls = false;  // the bar below the figure replaces them
      player().attach(el, { follow: follow, load: load, play: playSafely });
    }
    if (el.hasAttribute("data-card")) {
      // A card's animation also plays while the pointer is over the card.
      var card = el.closest(".card") || el;
      card.addEventListener("pointerenter", function () { load(el); playSafely(el); });
    }
    return el;
  }

  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      var v = entry.target;
      if (entry.isIntersecting) {
        if (autoplays(v)) { load(v); playSafely(v); }
      } else if (!v.paused) {
        v.pause();
      }
    });
  }, { threshold: 0.25 }) : null;

  function init() {
    var els = document.querySelectorAll("[data-animation]");
    for (var i = 0; i < els.length; i++) {
      var el = setup(els[i]);
      if (el && el.tagName === "VIDEO" && observer) observer.observe(el);
    }
    document.addEventListener("sitegen:theme", function () {
      var all = document.querySelectorAll("[data-animation]");
      for (var j = 0; j < all.length; j++) follow(all[j]);
    });
    var onReduce = function () {
      var vids = document.querySelectorAll("video[data-animation]");
      for (var k = 0; k < vids.length; k++) {
        if (reduce.matches) { vids[k].pause(); vids[k].controls = !vids[k].sitegenBar && !vids[k].hasAttribute("data-card"); }
      }
    };
    if (reduce.addEventListener) reduce.addEventListener("change", onReduce);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
