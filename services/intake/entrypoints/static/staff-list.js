// Keyboard shortcuts of the secretariat's list: / search, j/k next/previous row, Enter open, arrows page.
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-rows] tbody tr"))
    .filter(function (row) { return row.querySelector("[data-row-link]"); });
  var current = -1;

  function select(index) {
    if (!rows.length) { return; }
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) { row.classList.toggle("selected", i === current); });
    rows[current].querySelector("[data-row-link]").focus();
  }

  function follow(selector) {
    var link = document.querySelector(selector);
    if (link) { window.location.href = link.href; }
  }

  document.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName);
    if (typing || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.key === "/") { event.preventDefault(); document.querySelector("[data-shortcut-search]").focus(); }
    else if (event.key === "j") { select(current + 1); }
    else if (event.key === "k") { select(current - 1); }
    else if (event.key === "ArrowRight") { follow("[data-shortcut-next]"); }
    else if (event.key === "ArrowLeft") { follow("[data-shortcut-prev]"); }
  });
}());
