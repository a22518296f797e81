// Mark the searched words (?hl=word word) in an item's title and content.
(function () {
  "use strict";
  const words = (new URLSearchParams(window.location.search).get("hl") || "")
    .split(/\s+/).filter((w) => w.length > 0).slice(0, 32);
  if (!words.length) return;
  const escape = (w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(words.sort((a, b) => b.length - a.length).map(escape).join("|"), "gi");
  const mark = (root) => {
    if (!root) return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach((node) => {
      const text = node.nodeValue;
      pattern.lastIndex = 0;
      if (!pattern.test(text)) return;
      pattern.lastIndex = 0;
      const frag = document.createDocumentFragment();
      let last = 0;
      for (const m of text.matchAll(pattern)) {
        frag.append(text.slice(last, m.index));
        const el = document.createElement("mark");
        el.className = "search-mark";
        el.textContent = m[0];
        frag.append(el);
        last = m.index + m[0].length;
      }
      frag.append(text.slice(last));
      node.replaceWith(frag);
    });
  };
  mark(document.getElementById("item-title"));
  mark(document.getElementById("item-body"));
  const first = document.querySelector("#item-body mark.search-mark");
  if (first) first.scrollIntoView({ block: "center" });
})();
