/* While a file's scan is running, ask the server every two seconds how it went, and show the result
   (the page is reloaded once no scan is left running). Served as a file: no inline script. */
(function () {
  var box = document.querySelector('[data-scan-watch]');
  if (!box) return;
  var url = box.getAttribute('data-scan-watch'), started = Date.now(), LIMIT = 5 * 60 * 1000;
  function poll() {
    fetch(url, {headers: {'Accept': 'application/json'}, credentials: 'same-origin'})
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (answer.pending === 0) { location.reload(); return; }
        var count = box.querySelector('[data-scan-count]');
        if (count) count.textContent = answer.pending;
        if (Date.now() - started < LIMIT) setTimeout(poll, 2000);
        else box.querySelector('[data-scan-slow]').hidden = false;
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 2000);
})();
