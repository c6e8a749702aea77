// <span data-count="FIELD-ID"> shows how many characters (without spaces) the field holds, as it is typed.
document.querySelectorAll('[data-count]').forEach(function (counter) {
  var field = document.getElementById(counter.dataset.count);
  if (!field) return;
  field.addEventListener('input', function () {
    counter.textContent = field.value.replace(/\s/g, '').length;
  });
});
