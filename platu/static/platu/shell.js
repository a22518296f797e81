// The shell's small behaviours, wired here rather than in onclick/onchange attributes (the
// Content-Security-Policy runs no inline script): a select that submits its form when changed
// (the organisation switcher; a <noscript> button does it without JavaScript), a print button.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) {
      select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
