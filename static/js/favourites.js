// Favourites without an account: kept in this browser's localStorage, one list per festival.
// Star buttons are hidden until this script runs, so pages without JavaScript show no dead controls.
(function () {
  "use strict";

  var festival = document.body && document.body.getAttribute("data-festival");
  if (!festival) { return; }
  var KEY = "showcase:favourites:" + festival;

  function load() {
    try {
      var data = JSON.parse(window.localStorage.getItem(KEY) || "{}");
      return {
        sessions: Array.isArray(data.sessions) ? data.sessions.map(String) : [],
        films: Array.isArray(data.films) ? data.films.map(String) : []
      };
    } catch (e) {
      return { sessions: [], films: [] };
    }
  }

  function save(picks) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(picks));
    } catch (e) { /* private mode or storage full: the stars still work for this page */ }
  }

  function listFor(picks, kind) { return kind === "session" ? picks.sessions : picks.films; }

  function show(button, on) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.querySelector(".star-icon").textContent = on ? "★" : "☆";
    button.querySelector(".star-label").textContent = button.getAttribute(on ? "data-label-on" : "data-label-off");
  }

  // Links marked data-fav-link carry the picks in their query: ?sessions=1,2&films=abc
  function updateLinks(picks) {
    document.querySelectorAll("a[data-fav-link]").forEach(function (link) {
      var url = new URL(link.getAttribute("href"), window.location.href);
      url.searchParams.delete("sessions");
      url.searchParams.delete("films");
      if (picks.sessions.length) { url.searchParams.set("sessions", picks.sessions.join(",")); }
      if (picks.films.length) { url.searchParams.set("films", picks.films.join(",")); }
      link.setAttribute("href", url.pathname + url.search);
    });
  }

  function toggle(button) {
    var picks = load();
    var list = listFor(picks, button.getAttribute("data-fav-kind"));
    var id = button.getAttribute("data-fav-id");
    var at = list.indexOf(id);
    if (at >= 0) { list.splice(at, 1); } else { list.push(id); }
    save(picks);
    refresh(picks);
  }

  function refresh(picks) {
    document.querySelectorAll("button[data-fav-kind]").forEach(function (button) {
      show(button, listFor(picks, button.getAttribute("data-fav-kind")).indexOf(button.getAttribute("data-fav-id")) >= 0);
    });
    updateLinks(picks);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-fav-kind]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { toggle(button); });
    });
    refresh(load());
  });
}());
