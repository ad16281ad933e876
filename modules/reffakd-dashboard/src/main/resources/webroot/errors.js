// Every uncaught error and rejected promise of the page, kept for the footer and for tests
// (window.__reffakdErrors).
(function () {
  var errors = [];
  window.__reffakdErrors = errors;
  function show() {
    var f = document.getElementById('errors');
    if (f) { f.textContent = errors.length ? errors.length + ' script error(s): ' + errors[errors.length - 1] : ''; }
  }
  window.addEventListener('error', function (e) {
    errors.push(String(e.message || e.type) + (e.filename ? ' (' + e.filename + ':' + e.lineno + ')' : ''));
    show();
  });
  window.addEventListener('unhandledrejection', function (e) {
    errors.push('unhandled rejection: ' + String(e.reason && e.reason.stack || e.reason));
    show();
  });
  var consoleError = console.error;
  console.error = function () {
    errors.push(Array.prototype.map.call(arguments, String).join(' '));
    show();
    return consoleError.apply(console, arguments);
  };
})();
