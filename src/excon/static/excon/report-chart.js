// Draws every <canvas data-chart="ID"> from the JSON in the <script id="ID"> that the page rendered with
// json_script: one small script for every report page, no inline code.
(function () {
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    // a page with two charts includes this script twice: each canvas is drawn once
    if (!source || typeof Chart === "undefined" || canvas.dataset.drawn) { return; }
    canvas.dataset.drawn = "yes";
    var spec = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: spec.type || "bar",
      data: {labels: spec.labels, datasets: spec.series.map(function (s) { return {label: s.label, data: s.data}; })},
      options: {responsive: true, animation: false, scales: {y: {beginAtZero: true}}}
    });
  });
})();
