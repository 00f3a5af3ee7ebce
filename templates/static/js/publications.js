/* The publications page: each entry's "Copy BibTeX" button (shown only when this runs) puts the
   entry's BibTeX, as its <details> shows it, on the clipboard. code.js's copy (the Clipboard API, or a
   hidden <textarea> where the page is not a secure context) when it is there. */
(function () {
  "use strict";

  function copy(text) {
    if (window.sitegenCopy) return window.sitegenCopy(text);
    return navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject(new Error("no clipboard"));
  }

  function say(button, text) {
    var status = button.nextElementSibling;
    status.textContent = text;
    button.classList.toggle("is-done", text === "Copied");
    window.clearTimeout(button.sitegenTimer);
    button.sitegenTimer = window.setTimeout(function () {
      status.textContent = "";
      button.classList.remove("is-done");
    }, 2000);
  }

  function init() {
    var buttons = document.querySelectorAll(".pub__copy[data-copy]");
    for (var i = 0; i < buttons.length; i++) {
      (function (button) {
        var source = document.getElementById(button.getAttribute("data-copy"));
        if (!source) return;
        button.hidden = false;
        button.addEventListener("click", function () {
          copy(source.textContent).then(
            function () { say(button, "Copied"); },
            function () {
              source.closest("details").open = true;  // shown and selected, so the reader's Ctrl+C copies it
              window.getSelection().selectAllChildren(source);
              say(button, "Press Ctrl+C to copy");
            });
        });
      })(buttons[i]);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
