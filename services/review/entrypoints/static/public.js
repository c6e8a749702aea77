// The public pages' two buttons (no inline script): print the list, copy a page's address to share it.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print], [data-copy]");
    if (!button) { return; }
    if (button.hasAttribute("data-print")) { window.print(); return; }
    var text = button.getAttribute("data-copy");
    if (navigator.clipboard) {
      navigator.clipboard.writeText(text).then(function () { button.textContent = "已复制"; });
    } else {
      window.prompt("复制此地址：", text);
    }
  });
})();
