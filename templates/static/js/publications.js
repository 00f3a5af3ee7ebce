/* The publications page: each entry's "Copy BibTeX" button (shown only when this runs) puts the
   entry's BibTeX, as its <details> shows it, on the clipboard, with code.js's copy and feedback
   (the Clipboard API, or a hidden <textarea> where the page is not a secure context). */
(function () {
  "use strict";

  var clipboard = window.sitegenClipboard || {  // a theme's own code.js may not offer it
    copy: function (text) { return navigator.clipboard.writeText(text); },
    say: function (button, status, text) { status.textContent = text; }
  };

  function init() {
    var buttons = document.querySelectorAll(".pub__copy[data-copy]");
    for (var i = 0; i < buttons.length; i++) {
      (function (button) {
        var source = document.getElementById(button.getAttribute("data-copy"));
        var status = button.nextElementSibling;
        if (!source) return;
        button.hidden = false;
        button.addEventListener("click", function () {
          clipboard.copy(source.textContent).then(
            function () { clipboard.say(button, status, "Copied"); },
            function () {
              source.closest("details").open = true;  // shown and selected, so the reader's Ctrl+C copies it
              window.getSelection().selectAllChildren(source);
              clipboard.say(button, status, "Press Ctrl+C to copy");
            });
        });
      })(buttons[i]);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
