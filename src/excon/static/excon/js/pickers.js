// Pickers: every select[data-picker] (excon.core.pickers) becomes GOV.UK's accessible-autocomplete, searching the
// option's label and its data-also words (codes, former names, aliases). Without JavaScript the select stays.
(function () {
  "use strict";

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(text) {
    return fold(text).split(/[^a-z0-9]+/).filter(Boolean);
  }

  function labelOf(option) {
    return option.textContent || option.innerText || "";
  }

  // Best first: a code or other name that is exactly the query ("ES" is Spain, not Estonia), then the label starts
  // with the query, then every word of the query starts a word of the label, then of a code or former name, then
  // the query appears anywhere in the label.
  function rank(option, query) {
    var label = fold(labelOf(option));
    var compact = query.replace(/\s+/g, " ").trim();
    var exact = fold(option.getAttribute("data-also")).split("|").some(function (name) { return name === compact; });
    if (exact) return 0;
    if (label.indexOf(compact) === 0) return 1;
    var queryWords = words(compact);
    var labelWords = words(labelOf(option));
    var alsoWords = words(option.getAttribute("data-also"));
    var also = fold(option.getAttribute("data-also"));
    function everyWordStarts(candidates) {
      return queryWords.every(function (word) {
        return candidates.some(function (candidate) { return candidate.indexOf(word) === 0; });
      });
    }
    if (queryWords.length && everyWordStarts(labelWords)) return 2;
    if (queryWords.length && (everyWordStarts(alsoWords) || also.indexOf(compact) !== -1)) return 3;
    if (label.indexOf(compact) !== -1) return 4;
    return -1;
  }

  function enhance(select) {
    var options = [].filter.call(select.options, function (option) { return option.value; });
    var id = select.id;
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: "",
      showAllValues: options.length <= 30,
      minLength: 1,
      source: function (query, populate) {
        var folded = fold(query).trim();
        if (!folded) {
          populate(options.map(labelOf));
          return;
        }
        var ranked = [];
        options.forEach(function (option, index) {
          var score = rank(option, folded);
          if (score >= 0) ranked.push({ score: score, index: index, label: labelOf(option) });
        });
        ranked.sort(function (a, b) { return a.score - b.score || a.index - b.index; });
        populate(ranked.slice(0, 50).map(function (item) { return item.label; }));
      },
      onConfirm: function (chosen) {
        var input = document.getElementById(id);
        var typed = chosen !== undefined ? chosen : (input ? input.value : "");
        var match = options.filter(function (option) { return labelOf(option) === typed; })[0];
        // Nothing chosen, or words that name no option: the select is emptied rather than left on an old value,
        // so the form says "required" instead of sending something the person did not pick.
        select.value = match ? match.value : "";
      },
    });
  }

  function enhanceAll(root) {
    if (!window.accessibleAutocomplete) return;
    [].forEach.call(root.querySelectorAll("select[data-picker]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  } else {
    enhanceAll(document);
  }
})();
