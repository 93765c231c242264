// The presenter's view, live: big digits of the current cue's time left (over time counts up with a
// plus), the colour of the clock's level (warning, danger, overtime), the current and next cue, and
// the caller's message. Full screen on a button press (browsers allow it only after one), and the
// screen kept awake where the browser can. Its words come from the page (static/js/words.js).
(function () {
  "use strict";
  var L = window.ShowLive;
  var W = window.Words;
  var root = document.getElementById("stage");
  if (!root || !L || !W) { return; }
  var LEVELS = ["warning", "danger", "overtime"];
  var last = null, received = 0;

  function renderTimer() {
    if (!last) { return; }
    var shown = L.timer(L.remaining(last, received));
    L.set(root, "timer", shown.text);
    root.classList.toggle("over", shown.over);
  }

  function render(state) {
    last = state;
    received = performance.now();
    root.className = "stage-view level-" + state.level + " state-" + state.state;
    L.set(root, "state", W.label("show_state", state.state) + (state.rehearsal ? " · " + W.word("Rehearsal") : ""));
    L.set(root, "level-label", LEVELS.indexOf(state.level) >= 0 ? W.label("show_level", state.level) : "");
    var cue = state.cue;
    L.set(root, "cue-title", cue ? (cue.title || W.label("item_kind", cue.kind))
      : (state.state === "standby" ? W.label("show_state", "standby") : "—"));
    L.set(root, "cue-title-en", cue ? cue.title_en : "");
    L.set(root, "next-title", state.next ? (state.next.title || W.label("item_kind", state.next.kind)) : "—");
    L.set(root, "next-title-en", state.next ? state.next.title_en : "");
    var message = L.set(root, "message", state.message || "");
    if (message) { message.hidden = !state.message; }
    renderTimer();
  }

  var full = root.querySelector("[data-fullscreen]");
  if (full && document.fullscreenEnabled) {
    full.hidden = false;
    full.addEventListener("click", function () {
      document.documentElement.requestFullscreen().catch(function () { /* refused: stay as we are */ });
    });
    document.addEventListener("fullscreenchange", function () { full.hidden = !!document.fullscreenElement; });
  }
  function stayAwake() {
    if (navigator.wakeLock && document.visibilityState === "visible") {
      navigator.wakeLock.request("screen").catch(function () { /* not allowed here: the screen may sleep */ });
    }
  }
  document.addEventListener("visibilitychange", stayAwake);
  stayAwake();

  window.setInterval(renderTimer, 200);
  L.follow(root, render);
})();
