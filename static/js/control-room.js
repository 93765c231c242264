// Control room: refresh each kiosk's live part from state.json every 1.5 s.
// The page works without this script (it is rendered on the server, and the command buttons are forms).
(function () {
  "use strict";
  var PERIOD_MS = 1500;
  var root = document.getElementById("kiosks");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-state-url");

  function duration(seconds) {
    if (seconds === null || seconds === undefined) { return "?"; }
    var total = Math.max(0, Math.round(seconds));
    var h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function set(section, field, text) {
    var el = section.querySelector('[data-field="' + field + '"]');
    if (el && el.textContent !== text) { el.textContent = text; }
    return el;
  }

  function titleOf(playing) {
    if (!playing) { return "—"; }
    var en = playing.title_en && playing.title_en !== playing.title ? " / " + playing.title_en : "";
    return playing.title + en;
  }

  function preflightText(p) {
    if (!p) { return "—"; }
    var text = "v" + p.playlist_version + ": " + p.ok + "/" + p.total + " ok";
    p.failed.forEach(function (f) { text += "; " + f.key + ": " + f.problem; });
    (p.warnings || []).forEach(function (w) { text += "; check " + w.key + ": " + w.warning; });
    return text;
  }

  function render(kiosk) {
    var section = document.getElementById("kiosk-" + kiosk.id);
    if (!section) { return; }
    var state = set(section, "state", kiosk.state);
    if (state) { state.className = "badge state-" + kiosk.state; }
    set(section, "heartbeat", kiosk.heartbeat_age === null ? "no heartbeat yet"
      : "heartbeat " + Math.floor(kiosk.heartbeat_age) + " s ago");
    set(section, "playing", titleOf(kiosk.playing));
    set(section, "times", kiosk.playing ? duration(kiosk.playing.elapsed) + " / " + duration(kiosk.playing.remaining) : "—");
    var pl = kiosk.playlist;
    set(section, "playlist", (pl.title || "— none assigned —") + (pl.latest_version ? " (v" + pl.latest_version + " published)" : ""));
    set(section, "cache", kiosk.cache ? kiosk.cache.ready + "/" + kiosk.cache.items + " files ready" : "—");
    set(section, "preflight", preflightText(kiosk.preflight));
    var list = section.querySelector('[data-field="warnings"]');
    if (list) {
      list.replaceChildren.apply(list, kiosk.warnings.map(function (w) {
        var li = document.createElement("li");
        li.textContent = w;
        return li;
      }));
    }
    section.classList.toggle("has-warnings", kiosk.warnings.length > 0);
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { data.kiosks.forEach(render); } })
      .catch(function () { /* the next poll tries again */ })
      .finally(function () { window.setTimeout(poll, PERIOD_MS); });
  }

  window.setTimeout(poll, PERIOD_MS);
})();
