/* Code blocks: a bar on top of each highlighted block with its language (from the fence's
   "language-…" class) and a copy button (the Clipboard API, else a hidden <textarea> and
   execCommand("copy") where the page is not a secure context). No dependencies. */
(function () {
  "use strict";

  var NO_LABEL = { text: 1, plain: 1, plaintext: 1, none: 1 };

  function language(box) {
    var found = /(?:^|\s)language-([\w+#.-]+)/.exec(box.className + " " + (box.querySelector("code") || box).className);
    return found && !NO_LABEL[found[1].toLowerCase()] ? found[1] : "";
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    document.body.removeChild(area);
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }

  function say(button, status, text) {
    status.textContent = text;
    button.classList.toggle("is-done", text === "Copied");
    window.clearTimeout(button.sitegenTimer);
    button.sitegenTimer = window.setTimeout(function () {
      status.textContent = "";
      button.classList.remove("is-done");
    }, 2000);
  }
  window.sitegenClipboard = { copy: copy, say: say };  // the publications page's Copy BibTeX buttons use them too

  function enhance(box) {
    var code = box.querySelector("td.code code, code") || box.querySelector("pre");
    if (!code || box.querySelector(".code-bar")) return;
    var bar = document.createElement("div");
    bar.className = "code-bar";
    var lang = language(box);
    var label = document.createElement("span");
    label.className = "code-bar__lang";
    label.textContent = lang;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "code-bar__copy";
    button.textContent = "Copy";
    button.setAttribute("aria-label", lang ? "Copy the " + lang + " code" : "Copy the code");
    var status = document.createElement("span");
    status.className = "code-bar__status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      copy(code.textContent.replace(/\n$/, "")).then(
        function () { say(button, status, "Copied"); },
        function () {
          window.getSelection().selectAllChildren(code);  // selected, so the reader's own Ctrl+C copies it
          say(button, status, "Press Ctrl+C to copy");
        });
    });
    bar.appendChild(label);
    bar.appendChild(status);
    bar.appendChild(button);
    box.insertBefore(bar, box.firstChild);
  }

  function init() {
    var boxes = document.querySelectorAll(".prose .highlight");
    for (var i = 0; i < boxes.length; i++) enhance(boxes[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
