/* The coordinating agencies picker (issue 9): a searchable multi-select over the form's own
 * <select multiple data-agency-picker> (85 agencies today, more later). Vanilla JS, offline,
 * no inline code (strict CSP); messages in the script tag's data attributes
 * (app/templates/appbuilder/footer.html). Without this script the plain <select> still works.
 *
 *  - Type to filter; accents and "đ" do not matter ("so tai chinh" finds "Sở Tài chính"),
 *    every word typed must appear.
 *  - Chosen agencies are always shown as chips above the field; × (or Backspace in an empty
 *    field) removes one.
 *  - Keyboard: ↓/↑ move in the list, Enter chooses or un-chooses, Escape closes the list.
 *  - The <select> stays the source of truth: the form posts exactly what it posted before. */
(function () {
  "use strict";
  var script = document.getElementById("agency-picker-js");
  if (!script) { return; }
  function msg(name) { return script.getAttribute("data-msg-" + name) || ""; }
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }
  var counter = 0;

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function build(select) {
    var old = select.nextElementSibling;
    if (old && old.classList.contains("agency-picker")) { old.parentNode.removeChild(old); }
    var uid = "agency-picker-" + (++counter);
    var label = document.querySelector("label[for='" + select.id + "']") ||
      document.querySelector("label[for='" + select.id + "-search']");  // a cloned row's
    var labelText = label ? label.textContent.trim() : "";

    var root = document.createElement("div");
    root.className = "agency-picker";
    var chips = document.createElement("div");
    chips.className = "agency-picker-chips";
    chips.setAttribute("aria-label", fill(msg("chosen-label"), { field: labelText }));
    var search = document.createElement("input");
    search.type = "text";
    search.className = "agency-picker-search";
    search.id = select.id + "-search";
    search.setAttribute("role", "combobox");
    search.setAttribute("aria-autocomplete", "list");
    search.setAttribute("aria-expanded", "false");
    search.setAttribute("aria-controls", uid + "-list");
    search.setAttribute("autocomplete", "off");
    search.setAttribute("placeholder", msg("placeholder"));
    if (labelText) { search.setAttribute("aria-label", labelText); }
    var list = document.createElement("ul");
    list.className = "agency-picker-list";
    list.id = uid + "-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-multiselectable", "true");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "sr-only";
    status.setAttribute("aria-live", "polite");
    root.appendChild(chips);
    root.appendChild(search);
    root.appendChild(list);
    root.appendChild(status);
    select.parentNode.insertBefore(root, select.nextSibling);
    select.classList.add("agency-picker-source");
    select.style.display = "none";  // CSSOM, allowed by a strict CSP (no style attribute parsed)
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    if (label) { label.setAttribute("for", search.id); }

    var options = Array.prototype.map.call(select.options, function (option) {
      return { option: option, folded: fold(option.textContent) };
    });
    var active = -1, shown = [];

    function renderChips() {
      chips.innerHTML = "";
      options.forEach(function (o) {
        if (!o.option.selected) { return; }
        var chip = document.createElement("span");
        chip.className = "agency-chip";
        chip.setAttribute("data-value", o.option.value);
        var name = document.createElement("span");
        name.textContent = o.option.textContent;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "agency-chip-remove";
        remove.setAttribute("aria-label", fill(msg("remove"), { name: o.option.textContent }));
        remove.setAttribute("title", fill(msg("remove"), { name: o.option.textContent }));
        remove.textContent = "×";
        remove.addEventListener("click", function () {
          toggle(o, false);
          search.focus();
        });
        chip.appendChild(name);
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
    }

    function renderList() {
      var words = fold(search.value).split(" ").filter(Boolean);
      shown = options.filter(function (o) {
        return words.every(function (w) { return o.folded.indexOf(w) !== -1; });
      });
      if (active >= shown.length) { active = shown.length - 1; }
      list.innerHTML = "";
      if (!shown.length) {
        var none = document.createElement("li");
        none.className = "agency-picker-empty";
        none.setAttribute("role", "presentation");
        none.textContent = fill(msg("no-match"), { query: search.value.trim() });
        list.appendChild(none);
      }
      shown.forEach(function (o, i) {
        var li = document.createElement("li");
        li.id = uid + "-opt-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", o.option.selected ? "true" : "false");
        li.setAttribute("data-value", o.option.value);
        li.textContent = o.option.textContent;
        if (i === active) { li.className = "active"; }
        li.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep the focus
        li.addEventListener("click", function () { active = i; toggle(o); });
        list.appendChild(li);
      });
      if (active >= 0 && shown.length) {
        search.setAttribute("aria-activedescendant", uid + "-opt-" + active);
        var current = list.children[active];
        if (current && current.scrollIntoView) { current.scrollIntoView({ block: "nearest" }); }
      } else {
        search.removeAttribute("aria-activedescendant");
      }
    }

    function openList() {
      list.hidden = false;
      search.setAttribute("aria-expanded", "true");
      renderList();
    }

    function closeList() {
      list.hidden = true;
      active = -1;
      search.setAttribute("aria-expanded", "false");
      search.removeAttribute("aria-activedescendant");
    }

    function toggle(o, value) {
      o.option.selected = value === undefined ? !o.option.selected : value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      renderChips();
      if (!list.hidden) { renderList(); }
      var n = options.filter(function (x) { return x.option.selected; }).length;
      status.textContent = fill(msg(o.option.selected ? "added" : "removed"), { name: o.option.textContent }) +
        " " + fill(msg("count"), { n: n });
    }

    search.addEventListener("focus", openList);
    search.addEventListener("input", function () { active = 0; openList(); });
    search.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) { openList(); }
        if (!shown.length) { return; }
        active = event.key === "ArrowDown" ? Math.min(active + 1, shown.length - 1) : Math.max(active - 1, 0);
        renderList();
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0 && shown[active]) {
          event.preventDefault();  // choosing, not sending the form
          toggle(shown[active]);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); closeList(); }
      } else if (event.key === "Backspace" && !search.value) {
        var chosen = options.filter(function (o) { return o.option.selected; });
        if (chosen.length) { toggle(chosen[chosen.length - 1], false); }
      }
    });
    root.addEventListener("focusout", function (event) {
      if (!root.contains(event.relatedTarget)) { closeList(); }
    });
    select.addEventListener("change", function () { renderChips(); });
    select._agencyPicker = true;
    renderChips();
  }

  function buildAll(root) {
    var selects = (root || document).querySelectorAll("select[data-agency-picker]");
    for (var i = 0; i < selects.length; i++) {
      if (!selects[i]._agencyPicker) { build(selects[i]); }
    }
  }

  buildAll(document);
  if (window.MutationObserver) {
    // A task row cloned by "Add a task" carries a copy of the widget without its behaviour.
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        for (var i = 0; i < record.addedNodes.length; i++) {
          var node = record.addedNodes[i];
          if (node.nodeType === 1 && node.querySelectorAll && node.querySelector("select[data-agency-picker]")) {
            buildAll(node);
          }
        }
      });
    }).observe(document.body, { childList: true, subtree: true });
  }
}());
