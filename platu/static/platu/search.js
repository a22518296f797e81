// Search page: keyboard use of the suggestions list under the search box.
(function () {
  "use strict";
  const input = document.getElementById("search-q");
  const box = document.getElementById("search-suggestions");
  if (!input || !box) return;
  const options = () => Array.from(box.querySelectorAll("a.suggestion"));
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && options().length) {
      event.preventDefault();
      options()[0].focus();
    } else if (event.key === "Escape") {
      box.innerHTML = "";
    }
  });
  box.addEventListener("keydown", (event) => {
    const list = options();
    const at = list.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < list.length - 1) {
      event.preventDefault();
      list[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (at > 0) list[at - 1].focus();
      else input.focus();
    } else if (event.key === "Escape") {
      box.innerHTML = "";
      input.focus();
    }
  });
  // Focus moving on past the box and its list (Tab) closes the list: it would cover the tabs.
  const closeUnlessInside = (event) => {
    const next = event.relatedTarget;
    if (next && (next === input || box.contains(next))) return;
    box.innerHTML = "";
  };
  input.addEventListener("focusout", closeUnlessInside);
  box.addEventListener("focusout", closeUnlessInside);
  document.addEventListener("click", (event) => {
    if (!box.contains(event.target) && event.target !== input) box.innerHTML = "";
  });
})();
