// A form with data-autosave saves itself 1.5 s after the last keystroke; [data-add-row] adds a repeated row.
(function () {
  var form = document.querySelector('form[data-autosave]');
  if (!form) return;
  var status = form.querySelector('[data-autosave-status]'), timer = null;
  function save() {
    var body = new FormData(form);
    fetch(form.action || location.href, {method: 'POST', body: body, headers: {'X-Autosave': '1', 'X-CSRFToken': body.get('csrf_token')}})
      .then(function (r) { status.textContent = r.ok ? '草稿已自动保存' : '自动保存失败，请点击“保存并继续”'; })
      .catch(function () { status.textContent = '网络中断，草稿未保存'; });
  }
  function later() { clearTimeout(timer); timer = setTimeout(save, 1500); }
  form.addEventListener('input', later);
  // Typed before this script ran (a slow phone): no input event will come for it, so save it as well.
  var typed = Array.prototype.some.call(form.elements, function (field) {
    return ('defaultValue' in field && field.type !== 'hidden' && field.value !== field.defaultValue) ||
      ((field.type === 'checkbox' || field.type === 'radio') && field.checked !== field.defaultChecked);
  });
  if (typed) later();
  document.querySelectorAll('[data-add-row]').forEach(function (button) {
    button.addEventListener('click', function () {
      var box = document.querySelector('[data-repeat="' + button.dataset.addRow + '"]');
      var rows = box.querySelectorAll('.repeat-row'), last = rows[rows.length - 1], copy = last.cloneNode(true), n = rows.length;
      copy.querySelectorAll('input, select').forEach(function (input) {
        input.value = '';
        input.name = input.name.replace(/\.\d+\./, '.' + n + '.');
        input.id = 'f-' + input.name;
      });
      copy.querySelectorAll('label').forEach(function (label) {
        label.htmlFor = label.htmlFor.replace(/\.\d+\./, '.' + n + '.');
        label.textContent = label.textContent.replace(/\d+/, n + 1);
      });
      copy.querySelectorAll('.error-message').forEach(function (e) { e.remove(); });
      copy.querySelectorAll('button[name=remove]').forEach(function (b) { b.value = n; });
      box.appendChild(copy);
    });
  });
})();
