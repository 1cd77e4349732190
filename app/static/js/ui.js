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
