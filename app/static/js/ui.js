/* The app's own browser code: vanilla JS, no CDN, no inline code (works under a strict CSP).
 * Progressive enhancement only: without it the server still checks everything.
 *
 * File size: each chosen file is checked against MAX_ATTACHMENT_BYTES, and all files of a
 * form against MAX_CONTENT_LENGTH, before the form is sent, so an oversized file never
 * costs the user what they typed (the server would refuse the whole request with 413). */
(function () {
  "use strict";
  var script = document.getElementById("ui-js");
  if (!script) { return; }
  var maxFile = parseInt(script.getAttribute("data-max-attachment-bytes"), 10) || 0;
  var maxRequest = parseInt(script.getAttribute("data-max-request-bytes"), 10) || 0;
  var MB = 1024 * 1024;

  function mb(bytes) { return (bytes / MB).toFixed(1).replace(".", ","); }
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  function fileProblem(form) {
    var inputs = form.querySelectorAll("input[type=file]");
    var total = 0;
    for (var i = 0; i < inputs.length; i++) {
      var files = inputs[i].files || [];
      for (var j = 0; j < files.length; j++) {
        total += files[j].size;
        if (maxFile && files[j].size > maxFile) {
          return { input: inputs[i], text: fill(script.getAttribute("data-msg-file-too-large"),
            { name: files[j].name, size: mb(files[j].size), limit: mb(maxFile) }) };
        }
      }
    }
    if (maxRequest && total > maxRequest) {
      return { input: inputs[inputs.length - 1], text: fill(script.getAttribute("data-msg-request-too-large"),
        { size: mb(total), limit: mb(maxRequest) }) };
    }
    return null;
  }

  function showProblem(input, text) {
    var box = input.parentNode.querySelector(".file-size-error");
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-danger file-size-error";
      box.setAttribute("role", "alert");
      input.parentNode.appendChild(box);
    }
    box.textContent = text;
  }

  function clearProblems(form) {
    var boxes = form.querySelectorAll(".file-size-error");
    for (var i = 0; i < boxes.length; i++) { boxes[i].parentNode.removeChild(boxes[i]); }
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.type !== "file" || !input.form) { return; }
    clearProblems(input.form);
    var problem = fileProblem(input.form);
    if (problem) { showProblem(problem.input, problem.text); }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.querySelector || !form.querySelector("input[type=file]")) { return; }
    clearProblems(form);
    var problem = fileProblem(form);
    if (problem) {
      event.preventDefault();
      showProblem(problem.input, problem.text);
      problem.input.focus();
    }
  }, true);
}());

/* Page behaviours that used to be inline scripts or on…= attributes (issue 8, finding 8: the
 * CSP allows no inline script). Each looks for its element and does nothing elsewhere. */

/* The period chooser of the report pages: one <select> whose options are the periods' URLs. */
(function () {
  "use strict";
  var select = document.getElementById("period-select");
  if (!select) { return; }
  select.addEventListener("change", function () {
    if (select.value) { window.location = select.value; }
  });
}());

/* A header checkbox that checks or clears every box it names (data-check-all=".selector"). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var box = event.target;
    var selector = box && box.getAttribute && box.getAttribute("data-check-all");
    if (!selector) { return; }
    document.querySelectorAll(selector).forEach(function (b) { b.checked = box.checked; });
  });
}());

/* The progress bar of a letters batch: polls its JSON until the job is done or failed. */
(function () {
  "use strict";
  var box = document.getElementById("letters-progress");
  if (!box) { return; }
  var bar = document.getElementById("progress-bar");
  var text = document.getElementById("progress-text");
  function poll() {
    fetch(box.getAttribute("data-url"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); }).then(function (p) {
        var pct = p.total ? Math.round(100 * p.done / p.total) : (p.status === "done" ? 100 : 0);
        bar.style.width = pct + "%";
        bar.textContent = pct + "%";
        text.textContent = p.status === "failed"
          ? box.getAttribute("data-msg-failed") + " " + (p.error || "") : p.done + " / " + p.total;
        if (p.status !== "done" && p.status !== "failed") { setTimeout(poll, 1000); }
        else if (p.status === "done") { bar.classList.add("progress-bar-success"); }
      });
  }
  poll();
}());

/* The one-screen document entry: add and remove task rows, renumbering their fields. */
(function () {
  "use strict";
  var rows = document.getElementById("task-rows");
  var add = document.getElementById("add-task");
  if (!rows || !add) { return; }
  function renumber() {
    rows.querySelectorAll(".task-row").forEach(function (row, i) {
      row.querySelector(".task-n").textContent = i + 1;
      row.querySelectorAll("[name],[id],[for]").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var v = el.getAttribute(attr);
          if (v) { el.setAttribute(attr, v.replace(/^tasks-\d+-/, "tasks-" + i + "-")); }
        });
      });
    });
  }
  add.addEventListener("click", function () {
    var all = rows.querySelectorAll(".task-row");
    var copy = all[all.length - 1].cloneNode(true);
    copy.querySelectorAll("textarea, input[type=text], input[type=date]").forEach(function (el) { el.value = ""; });
    copy.querySelectorAll("select[multiple] option").forEach(function (o) { o.selected = false; });
    copy.querySelectorAll(".error-text").forEach(function (el) { el.remove(); });
    copy.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    rows.appendChild(copy);
    renumber();
    copy.querySelector("textarea").focus();
  });
  rows.addEventListener("click", function (e) {
    if (!e.target.classList.contains("remove-task")) { return; }
    if (rows.querySelectorAll(".task-row").length === 1) { return; }
    e.target.closest(".task-row").remove();
    renumber();
  });
}());

/* A <select data-submit-on-change> sends its form when a choice is made. */
(function () {
  "use strict";
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
}());

/* Art. 6.3 on the entry screen: a higher authority's document whose earliest deadline leaves
   fewer working days after receipt than the threshold (templates/direction_short_time.html). */
(function () {
  "use strict";
  var box = document.getElementById("short-time-warning");
  var form = document.getElementById("document-entry");
  if (!box || !form) { return; }
  function value(name) { var el = form.querySelector("[name=" + name + "]"); return el ? el.value : ""; }
  /* dd/mm/yyyy (as typed) or yyyy-mm-dd → yyyy-mm-dd, so dates sort; anything else → "". */
  function iso(text) {
    var m = /^\s*(\d{1,2})[\/.\-](\d{1,2})[\/.\-](\d{4})\s*$/.exec(text || "");
    if (m) { return m[3] + "-" + ("0" + m[2]).slice(-2) + "-" + ("0" + m[1]).slice(-2); }
    return /^\s*\d{4}-\d{2}-\d{2}\s*$/.test(text || "") ? text.trim() : "";
  }
  function check() {
    var deadlines = Array.prototype.map.call(form.querySelectorAll("input[name$='-deadline']"),
      function (el) { return iso(el.value); }).filter(Boolean).sort();
    if (value("issuer") !== "higher_authority" || !iso(value("received_on")) || !deadlines.length) {
      box.style.display = "none";
      return;
    }
    fetch(box.getAttribute("data-url") + "?received_on=" + encodeURIComponent(iso(value("received_on"))) +
          "&deadline=" + encodeURIComponent(deadlines[0]), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        box.style.display = answer.short ? "" : "none";
        box.textContent = box.getAttribute("data-template").replace("__N__", answer.left)
          .replace("__T__", answer.threshold);
      });
  }
  form.addEventListener("change", check);
}());
