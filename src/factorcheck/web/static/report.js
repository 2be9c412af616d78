// The served report's one button: print, or save as PDF through the print dialogue.
"use strict";
(function () {
  var button = document.getElementById("print-report");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
