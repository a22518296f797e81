/* Item page: selecting a passage of the content quotes it in the review and comment forms. */
(function () {
  "use strict";
  const body = document.getElementById("item-body");
  if (!body) return;
  document.addEventListener("selectionchange", function () {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || !body.contains(selection.anchorNode)) return;
    const text = selection.toString().trim().slice(0, 2000);
    if (!text) return;
    document.querySelectorAll("[data-quote-target]").forEach(function (field) {
      field.value = text;
      const shown = document.getElementById(field.dataset.quoteTarget);
      if (shown) { shown.textContent = "“" + text + "”"; shown.hidden = false; }
    });
  });
})();
