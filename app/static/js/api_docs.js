/* Swagger UI for the app's API (app/api/openapi.py): the document comes from
   /api/v1/_openapi (the browser's session is accepted there); Swagger UI's own labels,
   which it has no translation for, are replaced by the Vietnamese ones the page gives. */
(function () {
  "use strict";
  var script = document.getElementById("api-docs-js");
  var labels = JSON.parse(script.getAttribute("data-labels") || "{}");

  function translate(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, null);
    var node;
    while ((node = walker.nextNode())) {
      var text = node.nodeValue.trim();
      if (text && Object.prototype.hasOwnProperty.call(labels, text)) {
        node.nodeValue = node.nodeValue.replace(text, labels[text]);
      }
    }
    var inputs = root.querySelectorAll ? root.querySelectorAll("input[type=button], input[type=submit]") : [];
    Array.prototype.forEach.call(inputs, function (input) {
      if (Object.prototype.hasOwnProperty.call(labels, input.value)) { input.value = labels[input.value]; }
    });
  }

  var target = document.getElementById("swagger-ui");
  // eslint-disable-next-line no-undef
  SwaggerUIBundle({
    url: script.getAttribute("data-openapi-url"),
    dom_id: "#swagger-ui",
    validatorUrl: null, // offline: no badge from an outside validator
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    onComplete: function () { translate(target); }
  });
  new MutationObserver(function (mutations) {
    mutations.forEach(function (m) {
      Array.prototype.forEach.call(m.addedNodes, function (n) {
        if (n.nodeType === 1) { translate(n); }
        else if (n.nodeType === 3 && n.parentNode) { translate(n.parentNode); }
      });
      if (m.type === "characterData" && m.target.parentNode) { translate(m.target.parentNode); }
    });
  }).observe(target, {childList: true, subtree: true, characterData: true});
})();
