/* Pick, don't type: every [data-picker] box (templates/_picker.html) becomes a combobox.
 *
 * As the editor types, the box asks its search URL (?q=, JSON {results: [{id, label, detail}], more})
 * and lists the answers under it, the first one active. Up and down move, Enter or a click picks
 * (the hidden id is filled, the text becomes the label), Escape closes. Typing again clears the
 * picked id, so what is sent is never an old pick under new text. Without this file (or when the
 * search fails) the text goes with the form and the server finds the film itself.
 * The words come from the box's data-msg-* attributes, written by the server in the page's language.
 */
(function () {
  "use strict";
  if (!window.fetch) { return; }

  var DELAY_MS = 150;

  function setUp(box, number) {
    var input = box.querySelector("input[type=text]");
    var hidden = box.querySelector("[data-picker-id]");
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var results = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    list.id = (input.id || "picker-" + number) + "-options";
    list.className = "picker-options";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", box.querySelector("label").textContent);
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.insertAdjacentElement("afterend", list);
    box.appendChild(status);

    function say(name, values) {
      var text = box.dataset[name] || "";
      Object.keys(values || {}).forEach(function (key) { text = text.replace("{" + key + "}", values[key]); });
      status.textContent = text;
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function show(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (option, n) {
        option.setAttribute("aria-selected", n === index ? "true" : "false");
      });
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", list.id + "-" + index);
        list.children[index].scrollIntoView({block: "nearest"});
      }
    }

    function render(answer) {
      results = answer.results || [];
      list.textContent = "";
      results.forEach(function (result, n) {
        var option = document.createElement("li");
        var detail = document.createElement("span");
        option.id = list.id + "-" + n;
        option.setAttribute("role", "option");
        option.dataset.index = String(n);
        option.textContent = result.label + " ";
        detail.className = "muted";
        detail.textContent = result.detail || "";
        option.appendChild(detail);
        list.appendChild(option);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      show(results.length ? 0 : -1);
      if (!results.length) { say("msgNone"); } else { say(answer.more ? "msgMore" : "msgFound", {count: results.length}); }
    }

    function search() {
      var text = input.value.trim();
      var ticket = ++asked;
      if (!text) { results = []; close(); return; }
      fetch(box.dataset.searchUrl + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin", headers: {Accept: "application/json"}
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (answer) {
        if (ticket === asked) { render(answer); }  // an older answer arriving late changes nothing
      }).catch(function () {
        if (ticket === asked) { results = []; close(); say("msgFailed"); }
      });
    }

    function pick(index) {
      var result = results[index];
      if (!result) { return; }
      hidden.value = String(result.id);
      input.value = result.label;
      close();
      box.classList.add("picked");
      say("msgPicked", {label: result.label});
      hidden.dispatchEvent(new Event("change", {bubbles: true}));  // forms that watch for changes see it
      if (box.dataset.pickerSubmit) { document.getElementById(box.dataset.pickerSubmit).click(); }
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      box.classList.remove("picked");
      results = [];  // the answers were for other text: none can be picked until the new ones come
      list.textContent = "";
      close();
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (!open) {
          if (results.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); show(0); } else { search(); }
          return;
        }
        var step = event.key === "ArrowDown" ? 1 : -1;
        show((active + step + results.length) % results.length);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();  // Enter picks; it sends the form once a film is picked
        pick(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", close);
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep the focus
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { pick(Number(option.dataset.index)); }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-picker]"), setUp);
}());
