// The live view: polls /api/live and draws it. Text goes in with textContent only: customer ids and
// region names come from order data, which may hold anything.
"use strict";

const PollMilliseconds = 2000;
const Colours = {
  throughput: "#1f77b4", new: "#2ca02c", active: "#17becf", at_risk: "#ff7f0e", churned: "#d62728",
  actual: "#9467bd", forecast: "#8c564b", band: "rgba(140, 86, 75, 0.18)",
};
const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const seconds = iso => Date.parse(iso) / 1000;
const charts = { throughput: null, churn: null, demand: new Map() };
// The days all demand charts span (unix seconds), from /api/live's demandDays: one axis, so that their dates line up.
let demandAxis = null;

function show(metric, value, format = whole) {
  const known = value !== null && value !== undefined;
  for (const element of document.querySelectorAll(`[data-metric="${metric}"]`)) {
    element.dataset.value = known ? String(value) : "";
    element.textContent = known ? format.format(value) : "–";
  }
}

function cell(row, text) {
  const td = row.insertCell();
  td.textContent = text;
  return td;
}

function chartWidth(element) {
  return Math.max(320, Math.min(element.parentElement.clientWidth || 600, 900));
}

function lineChart(element, series, data, { width = chartWidth(element), height = 220, points = false, bands, xRange } = {}) {
  const options = {
    width, height, bands,
    scales: { x: xRange ? { time: true, range: xRange } : { time: true } },
    axes: [{}, { size: 64 }],
    series: [{}, ...series.map(s => Object.assign({ width: 2, points: { show: points, size: 7, fill: s.stroke } }, s))],
    // Keys are in the page, drawn lighter: only data leaves the series' own colours on screen, which the screenshot test relies on.
    legend: { show: false },
  };
  return new uPlot(options, data, element);
}

function drawThroughput(points) {
  const data = [points.map(p => seconds(p.at)), points.map(p => p.ordersPerSecond)];
  if (charts.throughput) charts.throughput.setData(data);
  else charts.throughput = lineChart(document.getElementById("throughput-chart"), [{ label: "orders/s", stroke: Colours.throughput }], data);
}

function drawLag(partitions, offsetsReadAt, ownersUnknown) {
  const rows = document.getElementById("lag-rows");
  rows.replaceChildren();
  for (const p of partitions) {
    const row = rows.insertRow();
    row.dataset.partition = String(p.partition);
    cell(row, String(p.partition));
    cell(row, p.committed === null ? "nothing yet" : whole.format(p.committed)).dataset.committed = String(p.committed);
    cell(row, whole.format(p.end)).dataset.end = String(p.end);
    cell(row, whole.format(p.lag)).dataset.lag = String(p.lag);
    cell(row, decimal.format(p.lagSeconds)).dataset.lagSeconds = String(p.lagSeconds);
    // Only the cluster names owners; this worker's own assignment goes in the note, not in a column that claims to know.
    cell(row, p.owner ?? (ownersUnknown ? "unknown" : "none")).dataset.owner = p.owner ?? "";
  }
  const here = partitions.filter(p => p.ownedHere).map(p => p.partition);
  document.getElementById("owners-unknown").textContent = ownersUnknown
    ? `Owners unknown: the cluster cannot describe consumer groups (${ownersUnknown}).` + (here.length ? ` This worker reads partitions ${here.join(", ")}.` : "")
    : "";
  const uncommitted = partitions.filter(p => p.committed === null).map(p => p.partition);
  document.getElementById("offsets-note").textContent = (offsetsReadAt ? `Offsets as the cluster had them at ${new Date(offsetsReadAt).toLocaleTimeString()}. ` : "") +
    (uncommitted.length ? `The group has committed nothing yet on partitions ${uncommitted.join(", ")}: a checkpoint commits, every Kafka:CommitInterval, ` +
      "once InfluxDB has acknowledged every point of the orders before it, so on a backlog or while InfluxDB refuses writes the first commit waits." : "");
  show("lag-total", partitions.reduce((sum, p) => sum + p.lag, 0));
  show("lag-seconds-max", partitions.reduce((max, p) => Math.max(max, p.lagSeconds), 0), decimal);
}

function drawChurn(periods) {
  const states = ["new", "active", "at_risk", "churned"];
  const field = { new: "new", active: "active", at_risk: "atRisk", churned: "churned" };
  const last = periods.at(-1), before = periods.at(-2);
  for (const state of states) {
    show(`churn-${state}`, last ? last[field[state]] : null);
    const move = document.querySelector(`[data-move="${state}"]`);
    const change = last && before ? last[field[state]] - before[field[state]] : null;
    move.dataset.value = String(change);
    move.textContent = change === null ? "" : `${change >= 0 ? "▲ +" : "▼ "}${whole.format(change)} since the period before`;
  }
  const data = [periods.map(p => seconds(p.periodStart)), ...states.map(state => periods.map(p => p[field[state]]))];
  if (charts.churn) charts.churn.setData(data);
  // Periods close once a day in event time; points show them even while there are only a few.
  else charts.churn = lineChart(document.getElementById("churn-chart"),
    states.map(state => ({ label: state.replace("_", " "), stroke: Colours[state] })), data, { points: true });
  // Around a single period uPlot's time axis would stretch over years: a week around it instead.
  if (data[0].length === 1) charts.churn.setScale("x", { min: data[0][0] - 3 * 86400, max: data[0][0] + 3 * 86400 });
}

function drawAtRisk(customers) {
  const rows = document.getElementById("at-risk-rows");
  rows.replaceChildren();
  for (const c of customers) {
    const row = rows.insertRow();
    row.dataset.customer = c.customerId;
    cell(row, c.customerId);
    cell(row, decimal.format(c.revenueTotal)).dataset.revenueTotal = String(c.revenueTotal);
    cell(row, c.pAlive === null ? "–" : decimal.format(c.pAlive));
    cell(row, c.daysSinceLastOrder === null ? "–" : decimal.format(c.daysSinceLastOrder));
    cell(row, c.segment);
  }
  if (customers.length === 0) cell(rows.insertRow(), "No customer is at risk in the periods closed so far.");
}

// Every scheme's segments in one ranking, most valuable first, as /api/live orders them.
function drawSegments(ranking) {
  const rows = document.getElementById("segment-rows");
  rows.replaceChildren();
  document.getElementById("segments-period").textContent = ranking
    ? `the ${ranking.byClv.length} with the highest 12-month CLV in the period of ${ranking.periodStart.slice(0, 10)}, over this worker's partitions`
    : "";
  if (!ranking) {
    cell(rows.insertRow(), "No period has closed yet on every partition of this worker.");
    return;
  }
  for (const s of ranking.byClv) {
    const row = rows.insertRow();
    row.dataset.scheme = s.scheme;
    row.dataset.segment = s.segment;
    cell(row, s.scheme);
    cell(row, s.segment);
    cell(row, whole.format(s.customers)).dataset.customers = String(s.customers);
    cell(row, decimal.format(s.revenueTotal)).dataset.segmentRevenue = String(s.revenueTotal);
    cell(row, decimal.format(s.clv12m)).dataset.clv = String(s.clv12m);
  }
}

function drawDemand(series, axis) {
  const container = document.getElementById("demand-charts");
  demandAxis = axis ? [seconds(axis.from), seconds(axis.to)] : null;
  const wanted = new Set(series.map(s => `${s.level}/${s.key}`));
  for (const [name, entry] of charts.demand) {
    if (!wanted.has(name)) { entry.chart.destroy(); entry.box.remove(); charts.demand.delete(name); }
  }
  for (const s of series) {
    const name = `${s.level}/${s.key}`;
    const days = [...new Set([...s.days.map(d => seconds(d.day)), ...s.forecast.map(f => seconds(f.day))])].sort((a, b) => a - b);
    const actual = new Map(s.days.map(d => [seconds(d.day), d.units]));
    const forecast = new Map(s.forecast.map(f => [seconds(f.day), f]));
    const data = [days,
      days.map(d => actual.get(d) ?? null),
      days.map(d => forecast.get(d)?.forecast ?? null),
      days.map(d => forecast.get(d)?.upper80 ?? null),
      days.map(d => forecast.get(d)?.lower80 ?? null)];
    let entry = charts.demand.get(name);
    if (entry) {
      entry.chart.setData(data);
      showAxis(entry);
      continue;
    }
    const box = document.createElement("div");
    box.className = "demand";
    box.dataset.key = name;
    const title = document.createElement("h3");
    title.textContent = s.level === "total" ? "All regions" : s.key;
    const plot = document.createElement("div");
    box.append(title, plot);
    document.getElementById("demand-empty").textContent = "";
    container.append(box);
    // Small multiples: one width for all, so that the regions line up.
    const chart = lineChart(plot, [
      { label: "units", stroke: Colours.actual },
      { label: "forecast", stroke: Colours.forecast, dash: [6, 4] },
      { label: "upper 80%", stroke: Colours.band, width: 1 },
      { label: "lower 80%", stroke: Colours.band, width: 1 },
    ], data, { width: 420, height: 200, bands: [{ series: [3, 4], fill: Colours.band }], xRange: sharedDays });
    entry = { chart, box };
    charts.demand.set(name, entry);
    showAxis(entry);
  }
  if (series.length === 0) document.getElementById("demand-empty").textContent = "No day has closed yet on the demand partitions of this worker.";
}

// Every demand chart spans the same days, whatever days its own series has.
function sharedDays(chart, dataMin, dataMax) {
  return demandAxis ?? [dataMin, dataMax];
}

// The days a chart was drawn over, on its box, for scripts and tests: the drawn scale, not what was asked of it.
function showAxis(entry) {
  entry.box.dataset.xFrom = String(entry.chart.scales.x.min);
  entry.box.dataset.xTo = String(entry.chart.scales.x.max);
}

function draw(live) {
  document.getElementById("worker").textContent = `worker ${live.worker}`;
  show("orders-applied", live.orders.applied);
  show("orders-dead-lettered", live.orders.deadLettered);
  show("orders-per-second", live.throughput.length ? live.throughput.at(-1).ordersPerSecond : 0);
  show("recommended-replicas", live.scaling.recommendedReplicas);
  document.getElementById("scaling-reason").textContent = live.scaling.reason ? `Why ${live.scaling.recommendedReplicas}: ${live.scaling.reason}` : "";
  show("customers-live", live.customers.live);
  show("customers-passivated", live.customers.passivated);
  // Without InfluxDB (the demo writing to a file) its tiles have nothing to say.
  for (const metric of ["influx-acked", "influx-buffered"]) {
    show(metric, live.influx ? live.influx[metric.slice("influx-".length)] : null);
    document.querySelector(`[data-metric="${metric}"]`).closest(".tile").hidden = !live.influx;
  }
  // Why points wait (and so why nothing is committed): InfluxDB's last refusal or silence.
  document.getElementById("influx-problem").textContent = live.influx?.lastWriteProblem ? `InfluxDB: ${live.influx.lastWriteProblem}` : "";
  drawThroughput(live.throughput);
  drawLag(live.partitions, live.offsetsReadAt, live.ownersUnknown);
  drawChurn(live.churn);
  drawAtRisk(live.atRisk);
  drawSegments(live.segments);
  drawDemand(live.demand, live.demandDays);
}

function report(state, text) {
  document.body.dataset.state = state;
  document.getElementById("status").textContent = text;
}

async function poll() {
  let live;
  try {
    const answer = await fetch("api/live", { cache: "no-store" });
    if (!answer.ok) throw new Error(`/api/live answered ${answer.status}`);
    live = await answer.json();
  } catch (error) {
    report("error", `cannot reach the worker: ${error.message}`);
    setTimeout(poll, PollMilliseconds);
    return;
  }
  try {
    draw(live);
    document.body.dataset.updated = live.at;
    const updated = `updated ${new Date(live.at).toLocaleTimeString()}`;
    report(live.problem ? "error" : "ready", live.problem ? `${updated}; ${live.problem}` : updated);
  } catch (error) {
    report("error", `this page could not draw the worker's figures: ${error.message}`);
  } finally {
    setTimeout(poll, PollMilliseconds);
  }
}

poll();
