/* The knowledge editor: Quill over a plain textarea (which still works without
   JavaScript), autosave while typing, a warning before leaving unsaved changes,
   body templates per type, and tag suggestions after each comma. */
(function () {
  "use strict";
  const form = document.getElementById("item-form");
  if (!form || typeof Quill === "undefined") return;
  const textarea = form.querySelector("textarea[name=body]");
  const holder = document.getElementById("editor");
  const status = document.getElementById("autosave-status");
  const templates = JSON.parse(document.getElementById("body-templates").textContent);
  form.querySelector(".editor-source").hidden = true;

  const quill = new Quill(holder, {
    theme: "snow",
    modules: {
      toolbar: [
        [{ header: [2, 3, false] }],
        ["bold", "italic", "underline", "strike"],
        [{ list: "ordered" }, { list: "bullet" }],
        ["blockquote", "link"],
        [{ align: [] }],
        ["clean"],
      ],
    },
  });
  // The textarea may hold what the user typed before a refused save: parse it
  // without running it (Quill converts in a detached document).
  quill.setContents(quill.clipboard.convert({ html: textarea.value }), "silent");
  quill.root.setAttribute("aria-label", document.getElementById("body-label").textContent);

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
