/* Dates as dd/mm/yyyy whatever the browser's language (issue 9), with a small offline
 * calendar. Vanilla JS, no CDN, no inline code (strict CSP); messages come from the
 * script tag's data attributes (app/templates/appbuilder/footer.html).
 *
 * Every <input data-vn-date> is a text field (pattern dd/mm/yyyy). This script
 *  - adds a calendar button after it (also for rows added later, e.g. a cloned task row),
 *  - normalises what was typed on leaving the field ("2/12/2026", "02122026" → "02/12/2026"),
 *  - gives a wrong or missing date the app's Vietnamese message instead of the browser's,
 *  - opens the calendar on the button, or Alt+↓ in the field; in the calendar the arrows
 *    move by day and week, PageUp/PageDown by month, Enter picks, Escape closes.
 * The server checks every date again (app/dates_ui.py). */
(function () {
  "use strict";
  var script = document.getElementById("dates-js");
  if (!script) { return; }
  function msg(name) { return script.getAttribute("data-msg-" + name) || ""; }
  var WEEKDAYS = (msg("weekdays") || "T2,T3,T4,T5,T6,T7,CN").split(",");

  (function loadStyle() {
    var href = script.getAttribute("data-css");
    if (!href || document.querySelector("link[data-vn-date-css]")) { return; }
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.setAttribute("data-vn-date-css", "1");
    document.head.appendChild(link);
  }());

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function format(d) { return pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + d.getFullYear(); }
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  /* "02/12/2026", "2/12/2026", "02-12-2026", "02.12.2026", "02122026", "2026-12-02" → Date or null. */
  function parse(text) {
    var t = (text || "").trim(), m, d, mo, y;
    if ((m = /^(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})$/.exec(t))) { d = +m[1]; mo = +m[2]; y = +m[3]; }
    else if ((m = /^(\d{2})(\d{2})(\d{4})$/.exec(t))) { d = +m[1]; mo = +m[2]; y = +m[3]; }
    else if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t))) { y = +m[1]; mo = +m[2]; d = +m[3]; }
    else { return null; }
    var date = new Date(y, mo - 1, d);
    if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) { return null; }
    return date;
  }

  function problem(input) {
    var value = input.value.trim();
    if (!value) { return input.required ? msg("required") : ""; }
    return parse(value) ? "" : fill(msg("invalid"), { value: value });
  }

  function check(input) {
    input.setCustomValidity(problem(input));
  }

  function isDateInput(el) { return el && el.tagName === "INPUT" && el.hasAttribute("data-vn-date"); }

  /* ---- the calendar button after each field ---------------------------------------- */
  function enhance(input) {
    var next = input.nextElementSibling;
    if (next && next.classList.contains("vn-date-button")) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-default vn-date-button";
    button.setAttribute("aria-label", msg("open"));
    button.setAttribute("title", msg("open"));
    button.setAttribute("aria-haspopup", "dialog");
    button.innerHTML = "<span class=\"fa fa-calendar\" aria-hidden=\"true\"></span>";
    input.parentNode.insertBefore(button, input.nextSibling);
    input.parentNode.classList.add("vn-date-wrap");
  }

  function enhanceAll(root) {
    var inputs = (root || document).querySelectorAll("input[data-vn-date]");
    for (var i = 0; i < inputs.length; i++) { enhance(inputs[i]); }
  }

  /* ---- the popup ---------------------------------------------------------------------- */
  var popup = null, target = null, shown = null, focusDay = null;

  function close(returnFocus) {
    if (!popup) { return; }
    popup.parentNode.removeChild(popup);
    popup = null;
    if (returnFocus && target) { target.focus(); }
    target = null;
  }

  function sameDay(a, b) {
    return a && b && a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  }

  function render() {
    var year = shown.getFullYear(), month = shown.getMonth();
    var chosen = parse(target.value), today = new Date();
    popup.innerHTML = "";
    var head = document.createElement("div");
    head.className = "vn-date-head";
    var prev = document.createElement("button");
    prev.type = "button"; prev.className = "btn btn-xs btn-default vn-date-prev";
    prev.setAttribute("aria-label", msg("prev")); prev.textContent = "‹";
    var next = document.createElement("button");
    next.type = "button"; next.className = "btn btn-xs btn-default vn-date-next";
    next.setAttribute("aria-label", msg("next")); next.textContent = "›";
    var title = document.createElement("span");
    title.className = "vn-date-title";
    title.setAttribute("aria-live", "polite");
    title.textContent = fill(msg("month"), { month: month + 1, year: year });
    head.appendChild(prev); head.appendChild(title); head.appendChild(next);
    popup.appendChild(head);

    var table = document.createElement("table");
    table.className = "vn-date-grid";
    table.setAttribute("role", "grid");
    var row = document.createElement("tr");
    WEEKDAYS.forEach(function (w) {
      var th = document.createElement("th");
      th.textContent = w; th.setAttribute("scope", "col");
      row.appendChild(th);
    });
    var thead = document.createElement("thead");
    thead.appendChild(row);
    table.appendChild(thead);
    var body = document.createElement("tbody");
    var first = new Date(year, month, 1);
    var offset = (first.getDay() + 6) % 7; // Monday first
    var day = new Date(year, month, 1 - offset);
    for (var w = 0; w < 6; w++) {
      row = document.createElement("tr");
      for (var i = 0; i < 7; i++) {
        var cell = document.createElement("td");
        var b = document.createElement("button");
        b.type = "button";
        b.className = "vn-date-day";
        if (day.getMonth() !== month) { b.className += " vn-date-other"; }
        if (sameDay(day, today)) { b.className += " vn-date-today"; }
        if (sameDay(day, chosen)) { b.className += " vn-date-chosen"; b.setAttribute("aria-selected", "true"); }
        b.textContent = day.getDate();
        b.setAttribute("data-date", format(day));
        b.setAttribute("aria-label", format(day));
        b.tabIndex = sameDay(day, focusDay) ? 0 : -1;
        cell.appendChild(b);
        row.appendChild(cell);
        day = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1);
      }
      body.appendChild(row);
    }
    table.appendChild(body);
    popup.appendChild(table);
    var foot = document.createElement("div");
    foot.className = "vn-date-foot";
    var todayButton = document.createElement("button");
    todayButton.type = "button"; todayButton.className = "btn btn-xs btn-link vn-date-pick-today";
    todayButton.textContent = msg("today");
    todayButton.setAttribute("data-date", format(today));
    foot.appendChild(todayButton);
    popup.appendChild(foot);
  }

  function focusOn(date) {
    focusDay = date;
    if (date.getMonth() !== shown.getMonth() || date.getFullYear() !== shown.getFullYear()) {
      shown = new Date(date.getFullYear(), date.getMonth(), 1);
    }
    render();
    var b = popup.querySelector("button.vn-date-day[tabindex='0']");
    if (b) { b.focus(); }
  }

  function open(input) {
    close(false);
    target = input;
    var start = parse(input.value) || new Date();
    shown = new Date(start.getFullYear(), start.getMonth(), 1);
    popup = document.createElement("div");
    popup.className = "vn-date-popup";
    popup.setAttribute("role", "dialog");
    popup.setAttribute("aria-label", msg("open"));
    input.parentNode.appendChild(popup);
    focusOn(start);
  }

  function pick(text) {
    var input = target;
    input.value = text;
    check(input);
    close(true);
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("click", function (event) {
    var el = event.target;
    var button = el.closest ? el.closest(".vn-date-button") : null;
    if (button) {
      var input = button.previousElementSibling;
      if (isDateInput(input)) {
        if (popup && target === input) { close(true); } else { open(input); }
      }
      return;
    }
    if (popup && popup.contains(el)) {
      var picked = el.closest("[data-date]");
      if (picked) { pick(picked.getAttribute("data-date")); return; }
      if (el.closest(".vn-date-prev")) { focusOn(new Date(focusDay.getFullYear(), focusDay.getMonth() - 1, 1)); return; }
      if (el.closest(".vn-date-next")) { focusOn(new Date(focusDay.getFullYear(), focusDay.getMonth() + 1, 1)); }
      return;
    }
    if (popup && el !== target) { close(false); }
  });

  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (isDateInput(el) && event.altKey && event.key === "ArrowDown") {
      event.preventDefault(); open(el); return;
    }
    if (!popup || !popup.contains(el)) { return; }
    var moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };
    if (event.key === "Escape") { event.preventDefault(); close(true); return; }
    if (event.key === "Tab") { close(false); return; }
    if (!el.classList.contains("vn-date-day")) { return; }
    if (moves[event.key]) {
      event.preventDefault();
      focusOn(new Date(focusDay.getFullYear(), focusDay.getMonth(), focusDay.getDate() + moves[event.key]));
    } else if (event.key === "PageUp" || event.key === "PageDown") {
      event.preventDefault();
      focusOn(new Date(focusDay.getFullYear(), focusDay.getMonth() + (event.key === "PageUp" ? -1 : 1), focusDay.getDate()));
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      var weekday = (focusDay.getDay() + 6) % 7;
      focusOn(new Date(focusDay.getFullYear(), focusDay.getMonth(),
        focusDay.getDate() + (event.key === "Home" ? -weekday : 6 - weekday)));
    }
  });

  /* ---- typing ---------------------------------------------------------------------- */
  document.addEventListener("input", function (event) {
    if (isDateInput(event.target)) { check(event.target); }
  });
  document.addEventListener("focusout", function (event) {
    var input = event.target;
    if (!isDateInput(input)) { return; }
    var date = parse(input.value);
    if (date) { input.value = format(date); }
    check(input);
  });
  // The browser shows its own bubble for a pattern mismatch or a missing value:
  // give it the app's Vietnamese message first.
  document.addEventListener("invalid", function (event) {
    if (isDateInput(event.target)) { check(event.target); }
  }, true);
  document.addEventListener("submit", function (event) {
    var inputs = event.target.querySelectorAll ? event.target.querySelectorAll("input[data-vn-date]") : [];
    for (var i = 0; i < inputs.length; i++) {
      var date = parse(inputs[i].value);
      if (date) { inputs[i].value = format(date); }
      check(inputs[i]);
    }
  }, true);

  enhanceAll(document);
  if (window.MutationObserver) {
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        for (var i = 0; i < record.addedNodes.length; i++) {
          var node = record.addedNodes[i];
          if (node.nodeType !== 1 || (popup && popup.contains(node)) || node === popup) { continue; }
          if (isDateInput(node)) { enhance(node); } else if (node.querySelectorAll) { enhanceAll(node); }
        }
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  window.vnDates = { parse: parse, format: format };
}());
