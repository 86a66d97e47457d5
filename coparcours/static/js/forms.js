// A form sent back with errors: its summary (#form-errors) takes the focus, so that a
// screen reader reads it and a phone shows it first; each of its links leads to a field.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const summary = document.getElementById("form-errors");
    if (summary) summary.focus();
  });
})();
