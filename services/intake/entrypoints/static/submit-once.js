/* A form marked data-once sends once: its button is disabled while the answer comes. */
document.querySelectorAll('form[data-once]').forEach(function (form) {
  form.addEventListener('submit', function () {
    var button = form.querySelector('button[type=submit]');
    button.disabled = true;
    button.textContent = '正在提交…';
  });
});
