// A background job's page: poll its status every second, move the progress bar, and show the
// finished page (download link or the reason it failed) by reloading once the job ends.
// Without JavaScript the page refreshes itself (a <noscript> meta refresh) instead. Its words come from the
// page (static/js/words.js); the status's message is already in the reader's language.
(function () {
  "use strict";
  var panel = document.querySelector("[data-job-status]");
  if (!panel || !window.Words || panel.getAttribute("data-job-state") === "done" || panel.getAttribute("data-job-state") === "failed") {
    return;
  }
  var bar = panel.querySelector("progress");
  var message = panel.querySelector("[data-job-message]");
  var count = panel.querySelector("[data-job-count]");
  var W = window.Words;

  function show(status) {
    if (status.state === "done" || status.state === "failed") {
      window.location.reload();
      return;
    }
    if (status.total > 0) {
      bar.max = status.total;
      bar.value = status.done;
      count.textContent = W.word("%(done)s of %(total)s", {done: status.done, total: status.total});
    }
    if (status.message) {
      message.textContent = status.message;
    }
  }

  function poll() {
    fetch(panel.getAttribute("data-job-status"), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.state !== "done" && status.state !== "failed") {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 3000); // the server restarting, or a network hiccup: try again later
      });
  }

  window.setTimeout(poll, 1000);
})();
