// The confirmation step in a dialog. A form marked data-confirm is posted without `confirm`, which
// changes nothing: the server answers its confirmation page (the one a browser without JavaScript
// shows), and its step is shown here in a modal <dialog>. Its Confirm button is that page's own form,
// so the action still happens only on the confirmed POST. Any trouble: the plain way (the page itself).
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser || typeof HTMLDialogElement !== "function") { return; }

  function show(step) {
    var dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-question");
    dialog.appendChild(document.importNode(step, true));
    dialog.querySelector("[data-cancel]").addEventListener("click", function (event) {
      event.preventDefault();
      dialog.close();
    });
    dialog.addEventListener("close", function () { dialog.remove(); });
    document.body.appendChild(dialog);
    dialog.showModal();
    dialog.querySelector("[data-cancel]").focus();  // the safe choice has the focus
  }

  function ask(form) {
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var step = new DOMParser().parseFromString(html, "text/html").querySelector("[data-confirm-step]");
        if (!step) { throw new Error("no confirmation step"); }
        show(step);
      })
      .catch(function () { form.submit(); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) { return; }
    event.preventDefault();
    ask(form);
  });
})();
