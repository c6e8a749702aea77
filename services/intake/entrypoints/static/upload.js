// Each form[data-upload] sends its file as soon as it is chosen, with a progress bar and the refusal shown beside it.
document.querySelectorAll('form[data-upload]').forEach(function (form) {
  var input = form.querySelector('input[type=file]'), bar = form.querySelector('progress'), error = form.querySelector('[data-error]');
  function send() {
    if (!input.files.length) { error.textContent = '请选择要上传的文件'; return; }
    var file = input.files[0], limit = Number(input.getAttribute('data-max-bytes'));
    if (limit && file.size > limit) {  // refused here, before a byte is sent: the same words as the server's
      var size = (file.size / 1048576).toFixed(1).replace(/\.0$/, '') + ' MB';
      error.textContent = input.getAttribute('data-too-large').replace('{size}', size);
      input.value = '';
      return;
    }
    var xhr = new XMLHttpRequest(), body = new FormData(form);
    xhr.open('POST', form.action);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('X-CSRFToken', body.get('csrf_token'));
    bar.hidden = false; error.textContent = '';
    xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = Math.round(e.loaded * 100 / e.total); };
    xhr.onload = function () {
      var answer = {};
      try { answer = JSON.parse(xhr.responseText); } catch (e) {}
      if (xhr.status < 300) { location.reload(); } else { bar.hidden = true; error.textContent = answer.error || ('上传失败（' + xhr.status + '）'); }
    };
    xhr.onerror = function () { bar.hidden = true; error.textContent = '网络中断，文件未上传，请重试'; };
    xhr.send(body);
  }
  form.addEventListener('submit', function (e) { e.preventDefault(); send(); });
  input.addEventListener('change', send);
});
