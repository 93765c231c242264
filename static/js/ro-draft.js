/* A draft of the running order in this browser: an unsaved list survives a reload.
 *
 * While the list on the page differs from the saved one, what the form would send is kept in
 * localStorage under the session and the version it was opened at. On the next visit (a reload,
 * a crash, the tab closed by mistake) the page offers it: Restore posts it back with op=restore,
 * and the server shows it unsaved, exactly as after a move without JavaScript (a colleague's save
 * since then makes Save show what they changed); Discard forgets it. Pressing Save marks the draft;
 * when the page comes back at a newer version, the save went through and the draft is dropped.
 * Needs unsaved.js (window.showcaseUnsaved.fields).
 */
(function () {
  "use strict";

  var form = document.getElementById("ro-form");
  var banner = document.getElementById("ro-draft");
  if (!form || !banner || !window.showcaseUnsaved || !window.localStorage) { return; }
  var list = document.getElementById("ro-items");
  var prefix = banner.dataset.key + ".";
  var version = Number(document.getElementById("ro-version").value) || 0;
  var key = prefix + version;
  var changedByServer = form.dataset.unsaved === "changed";
  var KEEP = /^(item_|running_order_version$)/;

  function items() {
    return window.showcaseUnsaved.fields(form).filter(function (pair) { return KEEP.test(pair[0]); });
  }
  var initial = JSON.stringify(items());

  function read(name) {
    try { return JSON.parse(localStorage.getItem(name)); } catch (error) { return null; }
  }

  function drafts() {
    var found = [];
    for (var n = 0; n < localStorage.length; n++) {
      var name = localStorage.key(n);
      var draft = name && name.indexOf(prefix) === 0 ? read(name) : null;
      if (draft && Array.isArray(draft.fields)) { draft.name = name; found.push(draft); }
    }
    return found.sort(function (a, b) { return b.savedAt - a.savedAt; });
  }

  function forget(all) {
    drafts().forEach(function (d) { if (all || d.name !== key) { localStorage.removeItem(d.name); } });
  }

  function keep(pending) {
    var now = items();
    try {
      if (!changedByServer && !pending && JSON.stringify(now) === initial) {
        localStorage.removeItem(key);
      } else {
        localStorage.setItem(key, JSON.stringify({version: version, savedAt: Date.now(), pending: !!pending, fields: now}));
      }
    } catch (error) { /* storage full or refused: the page still asks before leaving */ }
  }

  var timer = null;
  function flush() {
    if (timer === null) { return; }
    window.clearTimeout(timer);
    timer = null;
    keep(false);
  }
  function soon() { window.clearTimeout(timer); timer = window.setTimeout(flush, 300); }
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  if (list && window.MutationObserver) { new MutationObserver(soon).observe(list, {childList: true}); }
  window.addEventListener("pagehide", flush);  // a reload right after a change still keeps it
  form.addEventListener("submit", function (event) {
    var op = event.submitter ? event.submitter.value : "save";
    window.clearTimeout(timer);
    timer = null;
    keep(op === "save");
  });

  function when(ms) {
    var zone = list ? list.dataset.zone : undefined;
    var sameDay = new Date(ms).toDateString() === new Date().toDateString();
    var options = sameDay ? {hour: "2-digit", minute: "2-digit", hourCycle: "h23"}
      : {day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23"};
    try { return new Intl.DateTimeFormat(document.documentElement.lang || undefined, Object.assign({timeZone: zone}, options)).format(new Date(ms)); }
    catch (error) { return new Date(ms).toLocaleString(); }
  }

  function restore(draft) {
    var post = document.createElement("form");
    post.method = "post";
    post.action = form.action || window.location.href;
    post.hidden = true;
    var pairs = [["csrf_token", form.querySelector("[name=csrf_token]").value]].concat(draft.fields, [["op", "restore"]]);
    pairs.forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      post.appendChild(input);
    });
    post.dataset.unsaved = "ignore";
    document.body.appendChild(post);
    post.submit();
  }

  function offer() {
    if (changedByServer) {  // this page shows the unsaved list itself: it is the draft now
      forget(false);
      keep(false);
      return;
    }
    var found = drafts().filter(function (d) {
      var saved = d.pending && d.version < version;  // Save was pressed, and the version moved on
      var same = d.version === version && JSON.stringify(d.fields) === initial;
      if (saved || same) { localStorage.removeItem(d.name); }
      return !saved && !same;
    });
    if (!found.length) { return; }
    var draft = found[0];
    document.getElementById("ro-draft-time").textContent = when(draft.savedAt);
    banner.hidden = false;
    document.getElementById("ro-draft-restore").addEventListener("click", function () { restore(draft); });
    document.getElementById("ro-draft-discard").addEventListener("click", function () {
      forget(true);
      banner.hidden = true;
      document.getElementById("ro-save").focus();
    });
  }

  offer();
}());
