// A list of [dimension, rows] pairs: the order of the cards (a JSON object's keys would come back sorted).
const tables = JSON.parse(document.getElementById("tables").textContent);
tables.forEach(([name, rows], index) => {
  const shown = rows.slice(0, 30);
  new Chart(document.getElementById(`chart-${index + 1}`), {
    type: "bar",
    data: {labels: shown.map(r => r[0]), datasets: [{label: "数量", data: shown.map(r => r[1]), backgroundColor: "#3b6a99"}]},
    options: {indexAxis: "y", animation: false, plugins: {legend: {display: false}}, scales: {x: {beginAtZero: true, ticks: {precision: 0}}}},
  });
});
