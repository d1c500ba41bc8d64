// Draws the supervisor dashboard's charts from the figures the server embeds
// (#dashboard-charts), and again after each htmx refresh. The tables beside
// the charts hold the same numbers for screen readers and for copying.
(function () {
  "use strict";
  const charts = [];

  function draw() {
    const source = document.getElementById("dashboard-charts");
    if (!source || !window.Chart) return;
    const data = JSON.parse(source.textContent);
    const rtl = document.documentElement.dir === "rtl";
    while (charts.length) charts.pop().destroy();
    Chart.defaults.font.size = 12;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      const type = canvas.dataset.chartType || "bar";
      const stacked = canvas.dataset.stacked === "1";
      const options = {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: document.documentElement.lang,
        plugins: {
          legend: { display: type === "doughnut" || stacked, rtl: rtl, position: "bottom" },
          tooltip: { rtl: rtl },
        },
      };
      if (type === "bar") {
        options.scales = {
          x: { stacked: stacked, reverse: rtl },
          y: { stacked: stacked, beginAtZero: true, position: rtl ? "right" : "left" },
        };
        if (canvas.dataset.max) options.scales.y.max = Number(canvas.dataset.max);
        // Counts of a few ratings: whole numbers on the axis, not 0.2 steps.
        if (canvas.dataset.counts === "1") options.scales.y.ticks = { precision: 0 };
      }
      charts.push(new Chart(canvas, { type: type, data: data[canvas.dataset.chart], options: options }));
    });
  }

  // The dashboard refreshes on its own; not while someone is reassigning.
  window.hdDashboardIdle = function () {
    const active = document.activeElement;
    return !(active && active.closest("[data-no-refresh]"));
  };

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "dashboard-body") draw();
  });
})();
