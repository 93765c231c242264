// What the caller's and the presenter's pages share: following a show's state (the server's event
// stream, or state.json every second where EventSource is missing), a timer that counts on between
// two states, and the formats of templates/shows/_show.html. Times in a state are ISO 8601 on the
// festival's clock (showcase/shows/present.py), so the wall-clock time is characters 11 to 19.
(function () {
  "use strict";
  var POLL_MS = 1000;

  function duration(seconds) {
    // M:SS, or H:MM:SS from an hour on (showcase.durations.write)
    var total = Math.round(Math.abs(seconds));
    var h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    return (h ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + String(s).padStart(2, "0");
  }

  function signed(seconds) {
    if (seconds === null || seconds === undefined) { return "—"; }
    if (seconds > 0.5) { return "+" + duration(seconds); }
    if (seconds < -0.5) { return "−" + duration(seconds); }
    return "±0:00";
  }

  function clock(iso) { return iso ? iso.slice(11, 19) : "—"; }

  // The current cue's clock runs on between two states unless the show is paused or the cue has ended.
  function counting(state) {
    return state.state === "running" && state.cue && !state.cue_ended && state.remaining_seconds !== null;
  }

  function since(received) { return (performance.now() - received) / 1000; }

  function remaining(state, received) {
    if (!state.cue || state.remaining_seconds === null) { return null; }
    return state.remaining_seconds - (counting(state) ? since(received) : 0);
  }

  function elapsed(state, received) {
    if (!state.cue || state.elapsed_seconds === null) { return null; }
    return state.elapsed_seconds + (counting(state) ? since(received) : 0);
  }

  // Time left as the digits show it: counting down to 0:00, then over time counting up with a plus.
  function timer(seconds) {
    if (seconds === null) { return {text: "—", over: false}; }
    if (seconds >= 0) { return {text: duration(Math.ceil(seconds)), over: false}; }
    return {text: "+" + duration(Math.floor(-seconds)), over: true};
  }

  function set(root, field, text) {
    var el = root.querySelector('[data-field="' + field + '"]');
    if (el && el.textContent !== text) { el.textContent = text; }
    return el;
  }

  // onState(state) for the first state and every one after it; returns nothing (the browser reconnects).
  function follow(root, onState) {
    var eventsUrl = root.getAttribute("data-events-url");
    var stateUrl = root.getAttribute("data-state-url");
    function poll() {
      fetch(stateUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (state) { if (state) { onState(state); } })
        .catch(function () { /* the next poll tries again */ })
        .finally(function () { window.setTimeout(poll, POLL_MS); });
    }
    if (window.EventSource && eventsUrl) {
      var source = new window.EventSource(eventsUrl);
      source.addEventListener("show", function (event) { onState(JSON.parse(event.data)); });
    } else if (window.fetch && stateUrl) {
      poll();
    }
  }

  window.ShowLive = {
    duration: duration, signed: signed, clock: clock, timer: timer, remaining: remaining, elapsed: elapsed,
    set: set, follow: follow
  };
})();
