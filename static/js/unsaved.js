/* No lost edits: leaving a staff page with unsaved changes asks first.
 *
 * Every form that posts is remembered as the page showed it, and marked data-dirty="true" while its
 * fields differ from that. When the browser is about to leave (a link, a reload, closing the tab), a
 * form whose fields differ is unsaved, and the browser asks (beforeunload); sending that form is not
 * leaving it. A form marked data-unsaved="changed" shows something not saved yet (a running order the
 * server rearranged, a form shown again with its errors), so it counts as unsaved from the start;
 * data-unsaved="ignore" opts a form out. window.showcaseUnsaved.fields(form) lists what a form would
 * send (the running-order draft uses it).
 */
(function () {
  "use strict";

  var SKIP = {submit: true, button: true, reset: true, image: true};

  function fields(form) {
    var pairs = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled || SKIP[field.type] || field.name === "csrf_token") { return; }
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked) { pairs.push([field.name, field.value]); }
      } else if (field.type === "file") {
        pairs.push([field.name, Array.prototype.map.call(field.files, function (f) { return f.name; }).join("/")]);
      } else if (field.type === "select-multiple") {
        Array.prototype.forEach.call(field.selectedOptions, function (o) { pairs.push([field.name, o.value]); });
      } else {
        pairs.push([field.name, field.value]);
      }
    });
    return pairs;
  }

  var watched = [];
  var sending = null;

  function unsaved(entry) {
    return entry.changed || JSON.stringify(fields(entry.form)) !== entry.initial;
  }

  Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
    var method = (form.getAttribute("method") || "get").toLowerCase();
    if (method !== "post" || form.dataset.unsaved === "ignore") { return; }
    watched.push({form: form, initial: JSON.stringify(fields(form)), changed: form.dataset.unsaved === "changed"});
  });

  // A form shows whether it holds unsaved changes (data-dirty), for styles and tests.
  document.addEventListener("input", mark, true);
  document.addEventListener("change", mark, true);
  function mark(event) {
    watched.forEach(function (entry) {
      if (entry.form === event.target.form) { entry.form.dataset.dirty = String(unsaved(entry)); }
    });
  }

  // On the window, so that a handler on the document that cancels a submit (confirm.js) has run by then.
  window.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) { sending = event.target; }
  });
  window.addEventListener("pageshow", function () { sending = null; });  // back to a page kept in memory

  window.addEventListener("beforeunload", function (event) {
    var lost = watched.some(function (entry) { return entry.form !== sending && unsaved(entry); });
    if (!lost) { return undefined; }
    event.preventDefault();
    event.returnValue = "";  // older browsers ask only when this is set
    return "";
  });

  window.showcaseUnsaved = {fields: fields};
}());
