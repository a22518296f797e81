/* A small rich-text editor (Quill) over a textarea marked data-rich-editor: the textarea still
   works without JavaScript and keeps what the user typed after a refused save. The toolbar is a
   server-rendered <template id="rich-toolbar"> (translated labels). Tab moves between fields;
   Esc also leaves the editor. */
(function () {
  "use strict";
  if (typeof Quill === "undefined") return;
  const tpl = document.getElementById("rich-toolbar");
  document.querySelectorAll("textarea[data-rich-editor]").forEach(function (textarea, n) {
    const bar = tpl.content.firstElementChild.cloneNode(true);
    const holder = document.createElement("div");
    holder.className = "knowledge-body rich-editor";
    textarea.after(bar, holder);
    textarea.hidden = true;
    const quill = new Quill(holder, {
      theme: "snow",
      modules: {
        toolbar: bar,
        keyboard: {
          bindings: {
            tab: { key: "Tab", handler: function () { return true; } },
            "remove tab": { key: "Tab", shiftKey: true, handler: function () { return true; } },
          },
        },
      },
    });
    quill.setContents(quill.clipboard.convert({ html: textarea.value }), "silent");
    // The link tooltip's words (CSS shows these attributes instead of Quill's English).
    const tip = quill.theme.tooltip && quill.theme.tooltip.root;
    if (tip) {
      ["visit", "enter", "edit", "save", "remove"].forEach(function (key) { tip.dataset[key] = tpl.dataset[key] || ""; });
      const input = tip.querySelector("input[type=text]");
      if (input) {
        input.dataset.link = "https://";
        input.setAttribute("aria-label", tpl.dataset.enter || "");
      }
    }
    const label = document.querySelector("label[for='" + textarea.id + "']");
    if (label) {
      quill.root.setAttribute("aria-label", label.textContent);
      label.addEventListener("click", function () { quill.focus(); });
    }
    quill.root.setAttribute("aria-multiline", "true");
    quill.root.setAttribute("role", "textbox");
    holder.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !event.altKey && !event.ctrlKey && !event.metaKey) {
        const form = textarea.form;
        const all = Array.from(form.querySelectorAll("input:not([type=hidden]), textarea:not([hidden]), select, button"))
          .filter((el) => !holder.contains(el) && !bar.contains(el) && el.getClientRects().length > 0);
        const next = all.find((el) => holder.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
        if (next) { event.preventDefault(); next.focus(); }
      }
    }, true);
    const sync = function () {
      textarea.value = quill.getLength() > 1 ? quill.getSemanticHTML().replace(/&nbsp;/g, " ") : "";
    };
    quill.on("text-change", sync);
    textarea.form.addEventListener("submit", sync);
    bar.id = "rich-toolbar-" + n;
  });
})();
