// form[data-confirm="question"] asks before it is sent; [data-select-on-click] selects its text (a link to copy).
document.querySelectorAll('form[data-confirm]').forEach(function (form) {
  form.addEventListener('submit', function (event) {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
});
document.querySelectorAll('[data-select-on-click]').forEach(function (input) {
  input.addEventListener('click', function () { input.select(); });
});
