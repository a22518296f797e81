// Forms across Platu: confirm a step that cannot be undone (data-confirm on the button or the
// form), and the Form 2 item picker (a ticked search result joins the linked items, so the next
// search does not drop it).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches(".picker-results input[type=checkbox]") || !box.checked) return;
    var picker = box.closest(".item-picker");
    picker.querySelector(".picker-selected").appendChild(box.closest(".form-check"));
  });
})();
