/* FAB's Select2 (4.0.13) speaks English ("Remove all items", "No results found"): its
 * messages in Vietnamese, set before FAB's ab.js initialises the fields (this script is
 * deferred, FAB's set-up waits for the DOM to be ready). Messages in the tag's data attributes. */
(function () {
  "use strict";
  var script = document.getElementById("select2-vi-js");
  var $ = window.jQuery;
  if (!script || !$ || !$.fn || !$.fn.select2 || !$.fn.select2.defaults) { return; }
  function msg(name, values) {
    return (script.getAttribute("data-msg-" + name) || "").replace(/%\((\w+)\)s/g, function (_m, key) {
      return values && values[key] !== undefined ? values[key] : "";
    });
  }
  $.fn.select2.defaults.set("language", {
    errorLoading: function () { return msg("error-loading"); },
    inputTooLong: function (args) { return msg("too-long", { n: args.input.length - args.maximum }); },
    inputTooShort: function (args) { return msg("too-short", { n: args.minimum - args.input.length }); },
    loadingMore: function () { return msg("loading-more"); },
    maximumSelected: function (args) { return msg("maximum", { n: args.maximum }); },
    noResults: function () { return msg("no-results"); },
    searching: function () { return msg("searching"); },
    removeAllItems: function () { return msg("remove-all"); }
  });
}());
