// The dashboard's charts (Chart.js, served from this site): counts per domain stacked by state, and by state.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#8b1a1a", "#c77d1a", "#1d6b32", "#0b4f9c", "#6b2d8b", "#5b5b5b", "#b00020", "#2a8a8a"];
  Chart.defaults.font.family = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  new Chart(document.getElementById("by-domain"), {
    type: "bar",
    data: {labels: data.domains, datasets: data.series.map(function (s, i) {
      return {label: s.label, data: s.counts, backgroundColor: colours[i % colours.length]};
    })},
    options: {maintainAspectRatio: false, animation: false, indexAxis: "y",
              scales: {x: {stacked: true, ticks: {precision: 0}}, y: {stacked: true}}}
  });
  new Chart(document.getElementById("by-state"), {
    type: "doughnut",
    data: {labels: data.series.map(function (s) { return s.label; }),
           datasets: [{data: data.series.map(function (s) { return s.counts.reduce(function (a, b) { return a + b; }, 0); }),
                       backgroundColor: data.series.map(function (s, i) { return colours[i % colours.length]; })}]},
    options: {maintainAspectRatio: false, animation: false}
  });
})();
