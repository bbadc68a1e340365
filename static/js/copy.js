// copy.js — "Copy link" buttons. A <button data-copy="ID" data-status="ID2" hidden> copies
// the value of the field with id ID and says so in ID2 (a role="status" element). The
// button starts hidden: without JavaScript the read-only field is selected and copied by
// hand. No inline script anywhere (the Content-Security-Policy forbids it).
(function () {
  'use strict';

  function legacyCopy(field) {
    field.focus();
    field.select();
    try { return document.execCommand('copy'); } catch (e) { return false; }
  }

  function wire(button) {
    var field = document.getElementById(button.getAttribute('data-copy'));
    var status = document.getElementById(button.getAttribute('data-status'));
    if (!field) return;
    var say = function (ok) {
      if (status) status.textContent = ok ? 'Link copied.' : 'Press Ctrl+C (or \u2318C) to copy the selected link.';
    };
    field.addEventListener('focus', function () { field.select(); });
    button.addEventListener('click', function () {
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () { say(true); }, function () { say(legacyCopy(field)); });
      } else {
        say(legacyCopy(field));
      }
    });
    button.hidden = false;
  }

  var buttons = document.querySelectorAll('button[data-copy]');
  for (var i = 0; i < buttons.length; i++) wire(buttons[i]);
})();
