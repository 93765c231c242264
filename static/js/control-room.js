// Control room: each kiosk's live part follows the server's event stream (state.json pushed as it changes),
// or polls state.json every second where EventSource is missing. Its words come from the page
// (static/js/words.js), so they read in the staff member's language.
// The page works without this script (it is rendered on the server, and the command buttons are forms).
(function () {
  "use strict";
  var PERIOD_MS = 1000;
  var root = document.getElementById("kiosks");
  var W = window.Words;
  if (!root || !window.fetch || !W) { return; }
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
    var text = W.word("v%(version)s: %(ok)s/%(total)s ok", {version: p.playlist_version, ok: p.ok, total: p.total});
    p.failed.forEach(function (f) { text += "; " + f.key + ": " + f.problem; });
    (p.warnings || []).forEach(function (w) { text += "; " + W.word("check %(key)s: %(warning)s", w); });
    return text;
  }

  function playlistText(pl) {
    var text = pl.title || W.word("— none assigned —");
    return pl.latest_version ? text + " " + W.word("(v%(version)s published)", {version: pl.latest_version}) : text;
  }

  function render(kiosk) {
    var section = document.getElementById("kiosk-" + kiosk.id);
    if (!section) { return; }
    var state = set(section, "state", W.label("kiosk_state", kiosk.state));
    if (state) { state.className = "badge state-" + kiosk.state.replace(/ /g, "-"); }
    var picture = section.querySelector('[data-field="thumbnail"]');
    if (picture && kiosk.thumbnail_at) {
      var src = picture.getAttribute("data-src") + "?at=" + encodeURIComponent(kiosk.thumbnail_at);
      if (picture.getAttribute("src") !== src) { picture.setAttribute("src", src); }
      picture.hidden = false;
    }
    if (picture) { picture.classList.toggle("stale", kiosk.state === "no signal"); }
    set(section, "heartbeat", kiosk.heartbeat_age === null ? W.word("no heartbeat yet")
      : W.word("heartbeat %(seconds)s s ago", {seconds: Math.floor(kiosk.heartbeat_age)}));
    set(section, "playing", titleOf(kiosk.playing));
    set(section, "times", kiosk.playing ? duration(kiosk.playing.elapsed) + " / " + duration(kiosk.playing.remaining) : "—");
    set(section, "playlist", playlistText(kiosk.playlist));
    set(section, "cache", kiosk.cache
      ? W.word("%(ready)s/%(items)s files ready", {ready: kiosk.cache.ready, items: kiosk.cache.items}) : "—");
    set(section, "preflight", preflightText(kiosk.preflight));
    var list = section.querySelector('[data-field="warnings"]');
    var warnings = kiosk.warning_messages || kiosk.warnings;
    if (list) {
      list.replaceChildren.apply(list, warnings.map(function (w) {
        var li = document.createElement("li");
        li.textContent = W.message(w);
        return li;
      }));
    }
    section.classList.toggle("has-warnings", warnings.length > 0);
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
