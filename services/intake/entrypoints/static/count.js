// <span data-count="FIELD-ID"> shows how many characters (without whitespace) the field holds, as it is typed,
// counted as the server counts them (schemas.deeds_char_count): Python's whitespace, and each character once
// even when it lies outside the Basic Multilingual Plane (a rare character such as 𠮷 is one, not two).
var WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g;
document.querySelectorAll('[data-count]').forEach(function (counter) {
  var field = document.getElementById(counter.dataset.count);
  if (!field) return;
  function show() {
    counter.textContent = Array.from(field.value.replace(WHITESPACE, '')).length;
  }
  field.addEventListener('input', show);
  show();  // what was typed (or restored by the browser) before this script ran counts too
});
