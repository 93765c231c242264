// The caller's page, live: the rundown, the figures and the controls follow the show's event stream,
// GO is the space bar, and the command forms are sent with fetch (JSON answers) instead of reloading.
// Without this script the page still works: every command is a plain form that comes back here.
// Its words come from the page (static/js/words.js), in the staff member's language.
//
// A GO names the cue it was pressed on (from_cue): a second press of the same GO is refused by the
// server (409) and changes nothing. Presses within GUARD_MS of a GO count as the same press even when
// the new state arrived in between: nobody reads a new cue that fast, so it is a bounce or a double tap.
(function () {
  "use strict";
  var GUARD_MS = 600;
  var L = window.ShowLive;
  var W = window.Words;
  var root = document.getElementById("show");
  if (!root || !L || !W || !window.fetch) { return; }
  var me = Number(root.getAttribute("data-me"));
  var notice = document.getElementById("show-notice");
  var goForm = root.querySelector('form[data-command="go"]');
  var last = null, received = 0, lastGo = null, sent = 0, answered = 0;

  function say(text, ok) {
    if (!notice) { return; }
    notice.textContent = text;
    notice.className = "show-notice " + (ok ? "ok" : "refused");
  }

  function cueText(cue, withMode) {
    if (!cue) { return "—"; }
    var text = cue.position + " · " + (cue.title || W.label("item_kind", cue.kind));
    if (cue.title_en) { text += " " + cue.title_en; }
    return withMode ? text + " (" + W.label("cue_mode", cue.mode) + ")" : text;
  }

  function renderTimer() {
    if (!last) { return; }
    var left = L.remaining(last, received);
    var shown = L.timer(left);
    L.set(root, "timer", shown.text);
    L.set(root, "timer-label", W.word(shown.over ? "over" : "left"));
    var elapsed = L.elapsed(last, received);
    L.set(root, "elapsed", elapsed === null ? "—" : L.duration(elapsed));
  }

  function renderControls(state) {
    root.querySelectorAll("[data-when]").forEach(function (el) {
      var live = el.getAttribute("data-live");
      var when = el.getAttribute("data-when").split(" ");
      el.hidden = when.indexOf(state.state) < 0 || (live === "1" && state.rehearsal) || (live === "0" && !state.rehearsal);
    });
    root.querySelectorAll("[data-take-over]").forEach(function (el) {
      el.hidden = !state.holder || state.holder.id === me;
    });
    root.querySelectorAll("[data-from-cue]").forEach(function (input) {
      input.value = state.cue ? String(state.cue.id) : "";
    });
  }

  function renderRundown(state) {
    var rows = root.querySelectorAll("tr[data-cue-id]");
    if (rows.length !== state.cues.length) { window.location.reload(); return; }  // the running order changed
    state.cues.forEach(function (cue, n) {
      var row = rows[n];
      if (Number(row.getAttribute("data-cue-id")) !== cue.id) { window.location.reload(); return; }
      var current = !!state.cue && state.cue.id === cue.id;
      row.classList.toggle("current", current);
      row.classList.toggle("done", !!cue.actual_end);
      if (current) { row.setAttribute("aria-current", "true"); } else { row.removeAttribute("aria-current"); }
      L.set(row, "actual-start", L.clock(cue.actual_start));
      L.set(row, "actual-end", L.clock(cue.actual_end));
    });
  }

  function render(state) {
    if (state.state === "gone") { say(W.word("This show no longer exists (its session was deleted)."), false); return; }
    if (last && state.version < last.version) { return; }  // an answer that crossed a newer state on the way
    var moved = last && last.cue && state.cue && last.cue.id !== state.cue.id;
    last = state;
    received = performance.now();
    root.setAttribute("data-state", state.state);
    root.setAttribute("data-version", String(state.version));
    var badge = L.set(root, "state", W.label("show_state", state.state));
    if (badge) { badge.className = "badge show-state state-" + state.state; }
    var rehearsal = root.querySelector('[data-field="rehearsal"]');
    if (rehearsal) { rehearsal.hidden = !state.rehearsal; }
    L.set(root, "holder", state.holder
      ? W.word(state.holder.id === me ? "GO held by %(name)s (you)" : "GO held by %(name)s", {name: state.holder.name})
      : W.word("Nobody holds the GO yet: the first GO takes it."));
    var level = root.querySelector('[data-field="level"]');
    if (level) { level.className = "show-timer level-" + state.level; }
    renderTimer();
    L.set(root, "cue", cueText(state.cue, false));
    L.set(root, "next", cueText(state.next, true));
    L.set(root, "message", state.message || "—");
    L.set(root, "cue-over-under", L.signed(state.cue_over_under_seconds));
    L.set(root, "over-under", L.signed(state.over_under_seconds));
    L.set(root, "projected-end", L.clock(state.projected_end));
    L.set(root, "planned-end", L.clock(state.planned_end));
    var h = state.next_hard_start;
    var hard = h && {position: h.position, at: L.clock(h.at), wait: L.duration(h.in_seconds), late: L.duration(h.late_seconds)};
    L.set(root, "hard-start", !h ? "—" : W.word(h.late_seconds > 0
      ? "cue %(position)s at %(at)s, in %(wait)s — projected %(late)s late" : "cue %(position)s at %(at)s, in %(wait)s", hard));
    var list = root.querySelector('[data-field="warnings"]');
    if (list) {
      list.replaceChildren.apply(list, (state.warning_messages || state.warnings).map(function (w) {
        var li = document.createElement("li");
        li.textContent = W.message(w);
        return li;
      }));
    }
    renderControls(state);
    renderRundown(state);
    if (moved) {
      var row = document.getElementById("cue-" + state.cue.id);
      if (row && row.scrollIntoView) { row.scrollIntoView({block: "nearest"}); }
    }
  }

  function token(form) {
    var field = form.querySelector('input[name="csrf_token"]');
    return field ? field.value : "";
  }

  function send(form, fromCue) {
    var seq = ++sent;
    var body = new FormData(form);
    if (fromCue !== undefined) { body.set("from_cue", fromCue); }
    return fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": token(form)}
    }).then(function (response) {
      return response.json().catch(function () { return {message: W.word("The server answered %(status)s.", {status: response.status})}; })
        .then(function (answer) {
          if (answer.state) { render(answer.state); }
          var refusal = W.word("Nothing changed: %(problem)s", {problem: answer.message});
          if (seq < answered) {
            // a later press was answered first: its word stands. But a press refused because it raced that one
            // (a double press whose second got there first) is said beside it: one GO was applied, not two.
            if (response.status === 409 && notice) { say(notice.textContent + " " + refusal, notice.className.indexOf(" ok") >= 0); }
            return;
          }
          answered = seq;
          say(response.ok ? answer.message : refusal, response.ok);
        });
    }).catch(function () {
      say(W.word("No answer from the server: check the connection, then look at the rundown before pressing again."), false);
    });
  }

  function go() {
    var now = performance.now();
    var input = goForm.querySelector("[data-from-cue]");
    var cue = lastGo && now - lastGo.at < GUARD_MS ? lastGo.cue : input.value;
    lastGo = {cue: cue, at: now};
    return send(goForm, cue);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !root.contains(form) || !form.hasAttribute("data-command")) { return; }
    event.preventDefault();
    if (form === goForm) { go(); } else { send(form); }
  });

  function typing(target) {
    return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== " " || event.repeat || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (!goForm || typing(event.target) || document.querySelector("dialog[open]")) { return; }
    event.preventDefault();  // no scrolling, and no click of the focused button: space is GO here
    if (goForm.hidden) { say(W.word("The show has ended: reset it to run it again."), false); return; }
    go();
  });

  window.setInterval(renderTimer, 250);
  L.follow(root, render);
})();
