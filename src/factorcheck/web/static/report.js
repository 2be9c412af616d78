// The served report's one button: the print dialogue, where a PDF is saved or (on a phone) shared.
"use strict";
(function () {
  var button = document.getElementById("print-report");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
