// The supply dashboard's chart, from the JSON the page embeds in #supply-chart-data (no inline script: CSP).
(function () {
  var element = document.getElementById("supply-chart-data");
  var canvas = document.getElementById("supply-chart");
  if (!element || !canvas || typeof Chart === "undefined") {
    return;
  }
  var source = JSON.parse(element.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {labels: source.labels, datasets: source.series.map(function (s) { return {label: s.label, data: s.data}; })},
    options: {responsive: true, scales: {y: {beginAtZero: true}}}
  });
})();
