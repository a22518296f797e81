/* The knowledge editor: Quill over a plain textarea (which still works without
   JavaScript), autosave while typing, a warning before leaving unsaved changes,
   body templates per type whose hints vanish once the user writes, tag suggestions
   after each comma, and a keyboard way out (Esc, or Ctrl+M then Tab). The toolbar is
   rendered by the server, so its labels are translated. */
(function () {
  "use strict";
  const form = document.getElementById("item-form");
  if (!form || typeof Quill === "undefined") return;
  const textarea = form.querySelector("textarea[name=body]");
  const holder = document.getElementById("editor");
  const bar = document.getElementById("editor-toolbar");
  const status = document.getElementById("autosave-status");
  const templates = JSON.parse(document.getElementById("body-templates").textContent);
  form.querySelector(".editor-source").hidden = true;
  bar.hidden = false;
  document.getElementById("editor-keys").hidden = false;

  // A template's hint paragraph: <p data-hint="the hint">the hint</p> (see templates_body.py).
  const Parchment = Quill.import("parchment");
  Quill.register(new Parchment.Attributor("hint", "data-hint", { scope: Parchment.Scope.BLOCK }), true);

  const quill = new Quill(holder, {
    theme: "snow",
    placeholder: bar.dataset.placeholder || "",
    modules: { toolbar: bar },
  });
  // Pickers (paragraph style, alignment) get the names of the selects they replace.
  bar.querySelectorAll("select[aria-label]").forEach(function (select) {
    const picker = select.previousElementSibling;
    if (!picker || !picker.classList.contains("ql-picker")) return;
    const label = picker.querySelector(".ql-picker-label");
    label.setAttribute("aria-label", select.getAttribute("aria-label"));
    label.title = select.getAttribute("aria-label");
    picker.querySelectorAll(".ql-picker-item").forEach(function (item) {
      if (item.dataset.label) item.setAttribute("aria-label", item.dataset.label);
    });
  });
  // The link tooltip's words (CSS shows these attributes instead of Quill's English).
  const tip = quill.theme.tooltip && quill.theme.tooltip.root;
  if (tip) {
    tip.dataset.visit = bar.dataset.visit;
    tip.dataset.enter = bar.dataset.enter;
    const input = tip.querySelector("input[type=text]");
    if (input) {
      input.dataset.link = "https://";
      input.setAttribute("aria-label", bar.dataset.enter);
    }
    const action = tip.querySelector("a.ql-action");
    if (action) {
      action.dataset.edit = bar.dataset.edit;
      action.dataset.save = bar.dataset.save;
    }
    const remove = tip.querySelector("a.ql-remove");
    if (remove) remove.dataset.remove = bar.dataset.remove;
  }
  // The textarea may hold what the user typed before a refused save: parse it
  // without running it (Quill converts in a detached document).
  quill.setContents(quill.clipboard.convert({ html: textarea.value }), "silent");
  quill.root.setAttribute("aria-label", document.getElementById("body-label").textContent);
  quill.root.setAttribute("aria-describedby", "editor-keys");

  // Hints: the caret entering a hint line goes to its start; what the user writes there
  // replaces the hint (which is no longer a hint).
  function clearTouchedHints() {
    quill.getLines().reverse().forEach(function (line) {
      const hint = line.formats().hint;
      if (!hint) return;
      const start = quill.getIndex(line);
      const text = quill.getText(start, line.length() - 1);
      if (text === hint) return;
      const at = text.indexOf(hint);
      if (at >= 0) quill.deleteText(start + at, hint.length, "api");
      quill.formatLine(start, 1, "hint", false, "api");
    });
  }
  let lastLine = null;
  quill.on("selection-change", function (range, oldRange, source) {
    if (!range) {
      lastLine = null;
      return;
    }
    const line = quill.getLine(range.index)[0];
    if (source === "user" && range.length === 0 && line && line !== lastLine && line.formats().hint) {
      quill.setSelection(quill.getIndex(line), 0, "silent");
    }
    lastLine = line;
  });

  // The keyboard way out: Esc moves on to the next field; Ctrl+M makes Tab (and
  // Shift+Tab) move between fields instead of typing a tab, until pressed again.
  const mode = document.getElementById("editor-mode");
  let tabMoves = false;
  function moveFocus(forward) {
    const all = Array.from(form.ownerDocument.querySelectorAll(
      "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), " +
      "textarea:not([disabled]), [tabindex]:not([tabindex='-1'])"
    )).filter(function (el) {
      return !holder.contains(el) && el.getClientRects().length > 0;
    });
    const before = all.filter((el) => holder.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING);
    const after = all.filter((el) => holder.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
    const target = forward ? after[0] : before[before.length - 1];
    if (target) target.focus();
  }
  holder.addEventListener("keydown", function (event) {
    if (event.target !== quill.root || event.isComposing) return;
    const bare = !event.altKey && !event.metaKey && !event.ctrlKey;
    if (event.key === "Escape" && bare && !event.shiftKey) {
      event.preventDefault();
      event.stopPropagation();
      moveFocus(true);
    } else if (event.code === "KeyM" && event.ctrlKey && !event.altKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      event.stopPropagation();
      tabMoves = !tabMoves;
      mode.textContent = tabMoves ? bar.dataset.tabMoves : bar.dataset.tabTypes;
    } else if (event.key === "Tab" && tabMoves && bare) {
      event.preventDefault();
      event.stopPropagation();
      moveFocus(!event.shiftKey);
    }
  }, true);

  let dirty = false;
  let submitting = false;
  let timer = null;
  const html = () => quill.getSemanticHTML().replace(/&nbsp;/g, " ");
  const sync = () => { textarea.value = html(); };

  function changed() {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(autosave, 2500);
  }
  async function autosave() {
    sync();
    try {
      const response = await fetch(form.dataset.autosave, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
      const answer = await response.json();
      status.textContent = answer.warning || answer.message || "";
      status.classList.toggle("text-danger", !!answer.warning || !answer.ok);
    } catch (error) {
      status.textContent = form.dataset.offline || "";
    }
  }
  quill.on("text-change", function (delta, old, source) {
    if (source === "user") clearTouchedHints();
    sync();
    if (source === "user") changed();
  });
  form.addEventListener("input", function (event) {
    if (!holder.contains(event.target)) changed();
  });
  form.addEventListener("submit", function () {
    sync();
    submitting = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // A new type brings its template, unless the user has already written.
  const kind = form.querySelector("select[name=kind]");
  let lastTemplate = html();
  if (kind) {
    kind.addEventListener("change", function () {
      const current = html();
      const empty = quill.getText().trim() === "";
      if (empty || current === lastTemplate) {
        quill.setContents(quill.clipboard.convert({ html: templates[kind.value] || "" }), "silent");
        lastTemplate = html();
        sync();
      }
    });
  }

  // Tags: suggest after the last comma.
  const tags = form.querySelector("input[name=tags]");
  const list = document.getElementById("tag-suggestions");
  if (tags && list) {
    const all = Array.from(list.options).map((o) => o.value);
    tags.addEventListener("input", function () {
      const cut = tags.value.lastIndexOf(",");
      const prefix = cut >= 0 ? tags.value.slice(0, cut + 1) + " " : "";
      const chosen = new Set(tags.value.split(",").map((t) => t.trim()));
      list.replaceChildren(...all.filter((t) => !chosen.has(t)).map((t) => {
        const option = document.createElement("option");
        option.value = prefix + t;
        return option;
      }));
    });
  }
  window.platuEditor = quill;
})();
