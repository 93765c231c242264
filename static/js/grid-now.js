/* The schedule grid's "now" line: the server draws it where the time was when the page was made;
 * this moves it each minute (and hides it outside the grid), with the same scale as the grid's
 * stylesheet: minutes from the grid's first hour times --grid-minute. The label is the festival's
 * wall clock (Intl with the festival's time zone). Styles set through the CSSOM are allowed by the CSP.
 */
(function () {
  "use strict";

  var line = document.getElementById("grid-now");
  if (!line) { return; }
  var startMs = Number(line.dataset.startMs);
  var length = Number(line.dataset.minutes);
  var label = line.querySelector("time");
  var clock = new Intl.DateTimeFormat("en-GB", {
    timeZone: line.dataset.zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });

  function place() {
    var now = Date.now();
    var minutes = (now - startMs) / 60000;
    var inside = minutes >= 0 && minutes <= length;
    line.hidden = !inside;
    if (inside) {
      line.style.top = "calc(var(--grid-minute) * " + minutes.toFixed(2) + ")";
      label.textContent = clock.format(new Date(now));
    }
    window.setTimeout(place, 60000 - (now % 60000) + 50);  // just after the next minute starts
  }

  place();
}());
