/* Durations as showcase reads and writes them: the browser's copy of showcase/durations.py (the rule is
   there: a bare number is minutes). tests/showcase/test_durations.py runs one table through both. */
(function () {
  "use strict";

  var CLOCK = /^(\d+):(\d{1,2})(?::(\d{1,2}))?$/;
  var PARTS = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
  var UNIT_WORDS = [  /* longest first, as in durations.UNIT_WORDS */
    ["小时", "h"], ["时", "h"], ["分钟", "m"], ["分", "m"], ["秒钟", "s"], ["秒", "s"],
    ["hours", "h"], ["hour", "h"], ["hrs", "h"], ["hr", "h"],
    ["minutes", "m"], ["minute", "m"], ["mins", "m"], ["min", "m"],
    ["seconds", "s"], ["second", "s"], ["secs", "s"], ["sec", "s"],
    ["″", "s"], ["′′", "s"], ["\"", "s"], ["′", "m"], ["'", "m"], [" ", ""]
  ];

  function read(text, bare) {
    var value = (text || "").normalize("NFKC").trim().toLowerCase();
    if (bare === undefined) { bare = 60; }
    if (!value) { return null; }
    if (/^[0-9]+$/.test(value)) { return Number(value) * bare; }
    var clock = CLOCK.exec(value);
    if (clock) {
      var hours = clock[3] === undefined ? 0 : Number(clock[1]);
      var minutes = clock[3] === undefined ? Number(clock[1]) : Number(clock[2]);
      var seconds = clock[3] === undefined ? Number(clock[2]) : Number(clock[3]);
      if (seconds >= 60 || (clock[3] !== undefined && minutes >= 60)) { return null; }
      return hours * 3600 + minutes * 60 + seconds;
    }
    UNIT_WORDS.forEach(function (pair) { value = value.split(pair[0]).join(pair[1]); });
    var parts = PARTS.exec(value);
    if (!parts || (parts[1] === undefined && parts[2] === undefined && parts[3] === undefined)) { return null; }
    return Number(parts[1] || 0) * 3600 + Number(parts[2] || 0) * 60 + Number(parts[3] || 0);
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function write(seconds, hours) {
    if (seconds === null || seconds === undefined) { return ""; }
    var total = Math.round(seconds);
    var h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
    return h || hours ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
  }

  window.showcaseDurations = { read: read, write: write };
}());
