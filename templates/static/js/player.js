/* sitegen's player: a control bar under each animation figure of a post (never over it).
   animation.js chooses the sources, the light/dark variant and the GIF fallback, and calls
   window.sitegenPlayer.attach(element, helpers) for every figure's <video> or GIF <img>.
   - a video gets play/pause, a scrubber by frame with the readout "frame 31/145 · 1.24 s", one-frame
     steps (buttons, and ←/→ or ,/. while focus is in the figure), speed 0.25×–2×, loop and full screen;
     clicking the video toggles play (frames count from 0: "frame 12" is the one at 12 / fps);
   - a GIF gets play/pause: the GIF, or the still poster.
   Frames come from data-fps and data-frames, so a step is exactly one frame of the animation.
   No dependencies. */
(function () {
  "use strict";

  var SPEEDS = [0.25, 0.5, 1, 1.5, 2];
  var ICONS = {
    play: '<path d="M8 5.5v13l10.5-6.5z" fill="currentColor"/>',
    pause: '<path d="M7 5h3.5v14H7zM13.5 5H17v14h-3.5z" fill="currentColor"/>',
    prev: '<path d="M6 5h2.2v14H6zM19 5.5v13L9.5 12z" fill="currentColor"/>',
    next: '<path d="M15.8 5H18v14h-2.2zM5 5.5v13L14.5 12z" fill="currentColor"/>',
    loop: '<path d="M4.5 12a5 5 0 0 1 5-5h8M15 4l3 3-3 3M19.5 12a5 5 0 0 1-5 5h-8M9 20l-3-3 3-3" fill="none" ' +
      'stroke="currentColor" stroke-width="1.9" stroke-linecap="round" stroke-linejoin="round"/>',
    full: '<path d="M4.5 9V4.5H9M15 4.5h4.5V9M19.5 15v4.5H15M9 19.5H4.5V15" fill="none" stroke="currentColor" ' +
      'stroke-width="1.9" stroke-linecap="round" stroke-linejoin="round"/>',
    sound: '<path d="M4 9.5h3.5L12 6v12l-4.5-3.5H4z" fill="currentColor"/><path d="M15.5 9a4 4 0 0 1 0 6M18 6.5a7.5 7.5 ' +
      '0 0 1 0 11" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"/>'
  };

  function icon(name) {
    return '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">' + ICONS[name] +
      "</svg>";
  }

  function button(cls, label, iconName, title) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "player__button " + cls;
    b.setAttribute("aria-label", label);
    b.title = title || label;
    b.innerHTML = icon(iconName);
    return b;
  }

  function bar(figure, label) {
    var el = document.createElement("div");
    el.className = "player";
    el.setAttribute("role", "group");
    el.setAttribute("aria-label", "Player" + (label ? ": " + label : ""));
    var inner = document.createElement("div");
    inner.className = "player__bar";
    el.appendChild(inner);
    var media = figure.querySelector(".animation__media");
    if (media && media.style.maxWidth) el.style.setProperty("--media-width", media.style.maxWidth);
    (media || figure.firstChild).insertAdjacentElement("afterend", el);
    return inner;
  }

  // Only on a change: sync() runs every frame while playing, and an icon replaced under the pointer
  // between mousedown and mouseup loses the click.
  function setPlaying(btn, playing) {
    var label = playing ? "Pause" : "Play";
    if (btn.getAttribute("aria-label") === label) return;
    btn.setAttribute("aria-label", label);
    btn.title = playing ? "Pause (k)" : "Play (k)";
    btn.innerHTML = icon(playing ? "pause" : "play");
  }

  // Keys that work wherever focus is inside the figure; a <select> keeps its own arrow keys.
  function onKeys(figure, actions) {
    figure.addEventListener("keydown", function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey || e.target.tagName === "SELECT") return;
      var onButton = e.target.tagName === "BUTTON";
      var act = {
        ArrowLeft: actions.prev, ",": actions.prev, ArrowRight: actions.next, ".": actions.next,
        k: actions.toggle, " ": onButton ? null : actions.toggle, f: actions.full
      }[e.key];
      if (!act) return;
      e.preventDefault();
      act();
    });
  }

  // ---- a video ------------------------------------------------------------------------------------

  function Timing(video) {
    var fps = parseFloat(video.getAttribute("data-fps"));
    var frames = parseInt(video.getAttribute("data-frames"), 10);
    this.video = video;
    this.fps = fps > 0 ? fps : 0;
    this.count = frames > 0 ? frames : 0;
  }
  Timing.prototype.known = function () {
    if (!this.fps) return false;
    if (!this.count && this.video.duration > 0 && isFinite(this.video.duration)) {
      this.count = Math.max(1, Math.round(this.video.duration * this.fps));
    }
    return this.count > 0;
  };
  // The frame on screen: frame k is shown from k/fps until (k+1)/fps.
  Timing.prototype.frame = function () {
    if (!this.known()) return 0;
    return Math.min(this.count - 1, Math.max(0, Math.floor(this.video.currentTime * this.fps + 1e-4)));
  };
  // Seek to the middle of frame k, which no rounding of the container's timestamps moves to a neighbour.
  Timing.prototype.seek = function (k) {
    if (!this.known()) return;
    k = Math.min(this.count - 1, Math.max(0, k));
    this.video.currentTime = (k + 0.5) / this.fps;
  };
  Timing.prototype.readout = function () {
    if (!this.known()) return (this.video.currentTime || 0).toFixed(2) + " s";
    var k = this.frame();  // counted from 0, as the frame labels kinds draw and the time (k / fps) are
    return "frame " + k + "/" + this.count + " · " + (k / this.fps).toFixed(2) + " s";
  };

  function attachVideo(video, helpers) {
    var figure = video.closest("figure.animation");
    var timing = new Timing(video);
    var inner = bar(figure, video.getAttribute("aria-label"));
    var play = button("player__play", "Play", "play", "Play (k)");
    var prev = button("player__prev", "Previous frame", "prev", "Previous frame (← or ,)");
    var next = button("player__next", "Next frame", "next", "Next frame (→ or .)");
    var scrub = document.createElement("input");
    scrub.type = "range";
    scrub.className = "player__scrub";
    scrub.min = "0";
    scrub.step = "1";
    scrub.value = "0";
    scrub.setAttribute("aria-label", "Frame");
    var readout = document.createElement("span");
    readout.className = "player__readout";
    var speed = document.createElement("select");
    speed.className = "player__speed";
    speed.setAttribute("aria-label", "Speed");
    speed.title = "Speed";
    SPEEDS.forEach(function (s) {
      var o = document.createElement("option");
      o.value = String(s);
      o.textContent = s + "×";
      o.selected = s === 1;
      speed.appendChild(o);
    });
    var loop = button("player__loop", "Loop", "loop");
    var full = button("player__full", "Full screen", "full", "Full screen (f)");
    var rowEnd = document.createElement("span");  // where a narrow bar breaks: scrubber and readout above
    rowEnd.className = "player__break";
    rowEnd.setAttribute("aria-hidden", "true");
    var parts = [play, prev, next, scrub, readout, rowEnd, speed, loop];
    var mute = null;
    if (!video.muted) {
      mute = button("player__mute", "Mute", "sound");
      parts.push(mute);
    }
    if (figure.requestFullscreen && document.fullscreenEnabled !== false) parts.push(full);
    parts.forEach(function (p) { inner.appendChild(p); });
    video.sitegenBar = inner;

    function ensureLoaded() { helpers.load(video); }
    function sync() {
      setPlaying(play, !video.paused && !video.ended);
      var text = timing.readout();
      if (readout.textContent !== text) readout.textContent = text;
      if (timing.known()) {
        scrub.max = String(timing.count - 1);
        if (document.activeElement !== scrub || video.paused) scrub.value = String(timing.frame());
      }
      scrub.setAttribute("aria-valuetext", text);
      loop.setAttribute("aria-pressed", video.loop ? "true" : "false");
      if (mute) mute.setAttribute("aria-pressed", video.muted ? "true" : "false");
    }
    function playNow() {
      delete video.dataset.userPaused;
      ensureLoaded();
      if (video.ended) video.currentTime = 0;
      helpers.play(video);
    }
    function pauseNow() {
      video.dataset.userPaused = "1";
      video.pause();
    }
    function toggle() { if (video.paused || video.ended) playNow(); else pauseNow(); }
    function step(by) {
      ensureLoaded();
      if (!video.paused) pauseNow();
      timing.seek(timing.frame() + by);
      sync();
    }
    function fullScreen() {
      if (document.fullscreenElement) document.exitFullscreen();
      else if (figure.requestFullscreen) figure.requestFullscreen().catch(function () {});
    }

    play.addEventListener("click", toggle);
    video.addEventListener("click", toggle);
    prev.addEventListener("click", function () { step(-1); });
    next.addEventListener("click", function () { step(1); });
    scrub.addEventListener("input", function () {
      ensureLoaded();
      timing.seek(parseInt(scrub.value, 10) || 0);
      sync();
    });
    speed.addEventListener("change", function () {
      var rate = parseFloat(speed.value) || 1;
      video.defaultPlaybackRate = rate;  // load() (a theme switch) resets playbackRate to this
      video.playbackRate = rate;
    });
    loop.addEventListener("click", function () { video.loop = !video.loop; sync(); });
    if (mute) mute.addEventListener("click", function () { video.muted = !video.muted; sync(); });
    full.addEventListener("click", fullScreen);
    document.addEventListener("fullscreenchange", function () {
      var on = document.fullscreenElement === figure;
      full.setAttribute("aria-label", on ? "Exit full screen" : "Full screen");
      figure.classList.toggle("is-fullscreen", on);
    });
    onKeys(figure, {
      prev: function () { step(-1); }, next: function () { step(1); }, toggle: toggle, full: fullScreen
    });

    ["play", "pause", "ended", "seeked", "timeupdate", "loadedmetadata", "durationchange", "volumechange",
      "emptied"].forEach(function (name) { video.addEventListener(name, sync); });
    // While it plays, the readout follows every frame, not only the few timeupdate events a second.
    var ticking = false;
    function tick() {
      sync();
      if (!video.paused && !video.ended) window.requestAnimationFrame(tick);
      else ticking = false;
    }
    video.addEventListener("playing", function () {
      if (!ticking) { ticking = true; window.requestAnimationFrame(tick); }
    });
    sync();
  }

  // ---- a GIF --------------------------------------------------------------------------------------

  function attachGif(img, helpers) {
    if (!img.getAttribute("data-light-poster") && !img.getAttribute("data-dark-poster")) return;  // no still to pause on
    var figure = img.closest("figure.animation");
    var inner = bar(figure, img.alt);
    inner.parentNode.classList.add("player--gif");
    var play = button("player__play", "Play", "play", "Play (k)");
    inner.appendChild(play);
    img.sitegenBar = inner;
    function paused() { return img.src.indexOf(".gif") === -1; }
    function toggle() {
      img.dataset.paused = paused() ? "0" : "1";
      helpers.follow(img);
      setPlaying(play, !paused());
    }
    play.addEventListener("click", toggle);
    img.addEventListener("click", toggle);
    onKeys(figure, { prev: null, next: null, toggle: toggle, full: null });
    setPlaying(play, !paused());
  }

  window.sitegenPlayer = {
    attach: function (el, helpers) {
      if (el.sitegenBar || !el.closest("figure.animation")) return;
      if (el.tagName === "VIDEO") attachVideo(el, helpers);
      else if (el.classList.contains("animation__gif")) attachGif(el, helpers);
    }
  };
})();
