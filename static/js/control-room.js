// Control room: each kiosk's live part follows the server's event stream (state.json pushed as it changes),
// or polls state.json every second where EventSource is missing.
// The page works without this script (it is rendered on the server, and the command buttons are forms).
(function () {
  "use strict";
  var PERIOD_MS = 1000;
  var root = document.getElementById("kiosks");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-state-url");
  var eventsUrl = root.getAttribute("data-events-url");

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
    if (state) { state.className = "badge state-" + kiosk.state.replace(/ /g, "-"); }
    var picture = section.querySelector('[data-field="thumbnail"]');
    if (picture && kiosk.thumbnail_at) {
      var src = picture.getAttribute("data-src") + "?at=" + encodeURIComponent(kiosk.thumbnail_at);
      if (picture.getAttribute("src") !== src) { picture.setAttribute("src", src); }
      picture.hidden = false;
    }
    if (picture) { picture.classList.toggle("stale", kiosk.state === "no signal"); }
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
      .then(function (data) { if (data) { show(data); } })
      .catch(function () { /* the next poll tries again */ })
      .finally(function () { window.setTimeout(poll, PERIOD_MS); });
  }

  function show(data) {
    data.kiosks.forEach(render);
    root.setAttribute("data-updated", String(Date.now()));
  }

  if (window.EventSource && eventsUrl) {
    // the browser reconnects by itself when a stream ends or the server restarts
    new window.EventSource(eventsUrl).onmessage = function (event) { show(JSON.parse(event.data)); };
  } else {
    window.setTimeout(poll, PERIOD_MS);
  }
})();
