/* Running-order builder: drag and drop, keyboard moves and live times.
 *
 * Without this file the builder is a plain form whose move buttons post to the server. With it,
 * moves happen in the page and every cue number, offset and clock time is recomputed at once,
 * with the same rules as showcase/schedule/timing.py: offsets add up planned seconds from the
 * session start (an instant, in UTC); clock labels are that instant on the festival's wall clock
 * (Intl with the festival's time zone), with "+N" when it falls N days after the session's day.
 * People on stage at an item are taken off in the page too (the item's hidden item_people field
 * follows), and the "at item" select of the add-a-person box follows the list's order.
 * Nothing is saved until the form is submitted.
 */
(function () {
  "use strict";

  var list = document.getElementById("ro-items");
  if (!list) { return; }
  var form = document.getElementById("ro-form");
  var live = document.getElementById("ro-live");
  var dirtyNote = document.getElementById("ro-dirty");
  var startMs = Number(list.dataset.startMs);
  var slotSeconds = Number(list.dataset.slotSeconds);
  var zone = list.dataset.zone;
  var parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });

  function wallClock(ms) {
    var out = {};
    parts.formatToParts(new Date(ms)).forEach(function (p) { out[p.type] = p.value; });
    return {
      day: Date.UTC(Number(out.year), Number(out.month) - 1, Number(out.day)) / 86400000,
      clock: (out.hour === "24" ? "00" : out.hour) + ":" + out.minute
    };
  }
  var firstDay = wallClock(startMs).day;


  /* showcase.durations (static/js/durations.js): a bare number is minutes; null when unreadable. */
  function parseDuration(text) { return window.showcaseDurations.read(text); }

  /* showcase.templating.duration: M:SS, or H:MM:SS from an hour on. */
  function formatDuration(s) { return window.showcaseDurations.write(s); }

  /* timing.format_offset: +M:SS, or +H:MM:SS from an hour on. */
  function formatOffset(s) { return "+" + formatDuration(s); }

  function clockLabel(offsetSeconds) {
    var local = wallClock(startMs + offsetSeconds * 1000);
    var days = local.day - firstDay;
    return days ? local.clock + " +" + days : local.clock;
  }

  function items() { return Array.prototype.slice.call(list.querySelectorAll(".ro-item")); }

  function recompute() {
    var offset = 0;
    items().forEach(function (li, index) {
      var input = li.querySelector(".ro-duration");
      var seconds = parseDuration(input.value);
      input.setAttribute("aria-invalid", seconds === null ? "true" : "false");
      li.querySelector(".ro-cue").textContent = String(index + 1);
      li.querySelector(".ro-offset").textContent = formatOffset(offset);
      li.querySelector(".ro-clock").textContent = clockLabel(offset);
      li.querySelectorAll("button[data-move]").forEach(function (button) {
        button.value = button.dataset.move + ":" + index;  // keep the no-JS meaning true
      });
      li.querySelectorAll("button[data-remove-person]").forEach(function (button, k) {
        button.value = "remove-person:" + index + ":" + k;
      });
      offset += seconds === null ? 0 : seconds;
    });
    itemChoices();
    document.getElementById("ro-total").textContent = formatDuration(offset);
    var fit = document.getElementById("ro-fit");
    var over = offset - slotSeconds;
    fit.className = over > 0 ? "overrun" : "fits";
    fit.textContent = over > 0 ? "Overrun: " + Math.ceil(over / 60) + " min" : formatDuration(-over) + " left";
  }

  /* The "someone on stage at an item" select names items by place: it follows the list as it moves,
     keeping the item chosen (not the place) chosen. */
  var personItem = document.getElementById("ro-person-item");
  function itemChoices() {
    if (!personItem) { return; }
    var chosen = personItem.selectedIndex >= 0 ? personItem.options[personItem.selectedIndex].itemNode : null;
    personItem.textContent = "";
    items().forEach(function (li, index) {
      var option = document.createElement("option");
      option.value = String(index);
      option.textContent = (index + 1) + ". " + nameOf(li);
      option.itemNode = li;
      option.selected = li === chosen;
      personItem.appendChild(option);
    });
  }
  if (personItem) {
    items().forEach(function (li, index) { if (personItem.options[index]) { personItem.options[index].itemNode = li; } });
  }

  /* Taking someone off an item: the chip goes, and the item's people field says who is left. */
  function removePerson(button) {
    var chip = button.closest(".ro-person");
    var li = chip.closest(".ro-item");
    var chips = chip.parentNode;
    var who = chip.textContent.replace("✕", "").trim();
    var next = chip.nextElementSibling || chip.previousElementSibling;
    chip.remove();
    var field = li.querySelector("input[name=item_people]");
    field.value = Array.prototype.map.call(
      chips.querySelectorAll(".ro-person"), function (c) { return c.dataset.entry; }).join(" ");
    field.dispatchEvent(new Event("change", {bubbles: true}));  // the draft (ro-draft.js) keeps it
    if (!chips.children.length) { chips.remove(); }
    var focus = next && next.querySelector("[data-remove-person]");
    (focus || li.querySelector(".ro-remove")).focus();
    changed("Took " + who + " off " + nameOf(li) + ".");
  }

  function nameOf(li) {
    return li.querySelector("input[name=item_title]").value || li.dataset.kind;
  }

  function changed(message) {
    recompute();
    dirtyNote.textContent = "Unsaved changes: press “Save running order” to keep them.";
    if (message) { live.textContent = message; }
  }

  function placeOf(li) { return items().indexOf(li) + 1; }

  function move(li, direction, focusTarget) {
    if (direction === "up" && li.previousElementSibling) {
      list.insertBefore(li, li.previousElementSibling);
    } else if (direction === "down" && li.nextElementSibling) {
      list.insertBefore(li.nextElementSibling, li);
    } else {
      return;
    }
    if (focusTarget) { focusTarget.focus(); }  // moving a node drops its focus
    changed("Moved " + nameOf(li) + " to place " + placeOf(li) + " of " + items().length + ".");
  }

  function remove(li) {
    var next = li.nextElementSibling || li.previousElementSibling;
    var name = nameOf(li);
    li.remove();
    var focus = next && next.querySelector(".ro-remove");
    (focus || document.getElementById("ro-save")).focus();
    changed("Removed " + name + ".");
  }

  list.addEventListener("click", function (event) {
    var off = event.target.closest("button[data-remove-person]");
    if (off) { event.preventDefault(); removePerson(off); return; }
    var button = event.target.closest("button[data-move]");
    if (!button) { return; }
    event.preventDefault();
    var li = button.closest(".ro-item");
    if (button.dataset.move === "remove") { remove(li); } else { move(li, button.dataset.move, button); }
  });

  list.addEventListener("keydown", function (event) {
    if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) { return; }
    event.preventDefault();
    move(event.target.closest(".ro-item"), event.key === "ArrowUp" ? "up" : "down", event.target);
  });

  list.addEventListener("input", function (event) {
    if (event.target.matches("input, select")) { changed(""); }
  });

  /* Drag and drop by the handle; the list reorders while the pointer moves. */
  var dragged = null;
  list.addEventListener("dragstart", function (event) {
    var handle = event.target.closest && event.target.closest(".ro-handle");
    if (!handle) { return; }
    dragged = handle.closest(".ro-item");
    dragged.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", nameOf(dragged));
    event.dataTransfer.setDragImage(dragged, 16, 16);
  });
  list.addEventListener("dragover", function (event) {
    if (!dragged) { return; }
    event.preventDefault();
    var over = event.target.closest && event.target.closest(".ro-item");
    if (!over || over === dragged) { return; }
    var box = over.getBoundingClientRect();
    var before = event.clientY < box.top + box.height / 2;
    list.insertBefore(dragged, before ? over : over.nextElementSibling);
    recompute();
  });
  list.addEventListener("drop", function (event) {
    if (dragged) { event.preventDefault(); }
  });
  list.addEventListener("dragend", function () {
    if (!dragged) { return; }
    var li = dragged;
    dragged = null;
    li.classList.remove("dragging");
    changed("Moved " + nameOf(li) + " to place " + placeOf(li) + " of " + items().length + ".");
  });

  form.addEventListener("submit", function () { dirtyNote.textContent = ""; });
  recompute();
}());
