// The words the page's scripts write, in the reader's language. The server renders them, translated, into
// <script type="application/json" id="words"> (data, never run: the CSP allows no inline script):
// {"English text": "its translation", ..., "labels": {kind: {code: label}}}. word() fills %(name)s.
// A word the block lacks is written as it is, in English.
(function () {
  "use strict";
  var block = document.getElementById("words");
  var words = {};
  try { words = block ? JSON.parse(block.textContent) : {}; } catch (e) { words = {}; }

  function fill(text, params) {
    return text.replace(/%\((\w+)\)s/g, function (all, name) {
      return params && Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : all;
    });
  }

  function word(english, params) {
    var found = Object.prototype.hasOwnProperty.call(words, english) ? words[english] : english;
    return fill(found, params);
  }

  // a message of showcase.i18n.message_data: {text, template, params}, or plain text
  function message(m) {
    if (m === null || m === undefined) { return ""; }
    if (typeof m === "string") { return m; }
    return m.template ? word(m.template, m.params) : m.text;
  }

  function label(kind, code) {
    var known = words.labels && words.labels[kind];
    return known && Object.prototype.hasOwnProperty.call(known, code) ? known[code] : code;
  }

  window.Words = {word: word, message: message, label: label};
})();
