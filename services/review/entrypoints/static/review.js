// Keyboard shortcuts, row navigation, select-all and confirmations for the reviewer's pages. No inline script.
(function () {
  "use strict";
  function typing(event) {
    var t = event.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.queue tbody tr[data-href]"));
  var current = -1;
  function mark(index) {
    if (!rows.length) { return; }
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) { row.classList.toggle("current", i === current); });
    rows[current].scrollIntoView({block: "nearest"});
  }
  function click(selector) {
    var element = document.querySelector(selector);
    if (element) { element.click(); return true; }
    return false;
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) { return; }
    var key = event.key;
    if (key === "/") { var search = document.querySelector("[data-key='/']"); if (search) { event.preventDefault(); search.focus(); } return; }
    if (key === "j") { mark(current + 1); return; }
    if (key === "k") { mark(current - 1); return; }
    if (key === "Enter" && current >= 0) { window.location = rows[current].dataset.href; return; }
    if (key === "x" && current >= 0) { var box = rows[current].querySelector("input[type=checkbox]"); if (box) { box.checked = !box.checked; } return; }
    if (key === "a") { click("#form-approve button[type=submit]"); return; }
    if (key === "r") { var reason = document.getElementById("return-reason"); if (reason) { event.preventDefault(); reason.focus(); } return; }
    if (key === "n") { click("#next"); return; }
    if (key === "u") { click("[data-key='u']"); }
  });
  document.querySelectorAll("[data-select-all]").forEach(function (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = all.checked; });
    });
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) { event.preventDefault(); }
  });
  var scores = Array.prototype.slice.call(document.querySelectorAll("input[data-score]"));
  function total() {
    var sum = 0, complete = true;
    scores.forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (isNaN(value)) { complete = false; } else { sum += value; }
    });
    var shown = document.getElementById("score-total");
    if (shown) { shown.textContent = complete ? String(sum) : (sum ? sum + "（未填完）" : "—"); }
  }
  scores.forEach(function (input) { input.addEventListener("input", total); });
  if (scores.length) { total(); }
  document.querySelectorAll("select[data-navigate]").forEach(function (select) {
    select.addEventListener("change", function () {
      window.location = select.dataset.navigate.replace("__d__", encodeURIComponent(select.value));
    });
  });
})();
