/** The market page: four charts from GET /api/v1/stats for the filters in the form (and the URL). */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { ApiFailure, apiGet, groupKey, groupLabel, type StatsGroup } from "../lib/api";
import { apiQuery } from "../lib/filters";
import { compactMoney, escapeHtml, label, money, num } from "../lib/format";

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend);

type Stats = { data: StatsGroup[] | { groups: StatsGroup[] } };
const $ = (id: string) => document.getElementById(id)!;
const form = $("market-form") as HTMLFormElement;
const charts = new Map<string, Chart>();
const GREEN = "#2f6f5e";

function groups(s: Stats) {
  return Array.isArray(s.data) ? s.data : (s.data.groups ?? []);
}

async function stats(filters: URLSearchParams, groupBy: string) {
  const q = apiQuery(filters, { group_by: groupBy });
  q.delete("sort");
  return groups(await apiGet<Stats>(`/api/v1/stats?${q}`));
}

function draw(id: string, config: ConstructorParameters<typeof Chart>[1]) {
  charts.get(id)?.destroy();
  const canvas = $(id) as HTMLCanvasElement;
  const chart = new Chart(canvas, config);
  charts.set(id, chart);
  canvas.dataset.drawn = String(config.data.labels?.length ?? 0);
}

async function load() {
  const state = new URLSearchParams(location.search);
  const areaGroup = state.get("area_group") === "postal_code" ? "postal_code" : "city";
  const filters = new URLSearchParams(state);
  filters.delete("area_group");
  $("area-label").textContent = areaGroup === "city" ? "city" : "postal code";
  $("market-message").innerHTML = "";
  for (const b of document.querySelectorAll(".chart-box")) b.classList.add("skeleton");
  try {
    const [all, byMonth, byArea, byType] = await Promise.all([
      stats(filters, "none"),
      stats(filters, "month"),
      stats(filters, areaGroup),
      stats(filters, "property_type"),
    ]);
    const total = all[0];
    const currency = String(total?.currency ?? state.get("currency") ?? "USD");
    $("kpis").innerHTML = [
      ["Properties", num(total?.count)],
      ["Median price", compactMoney(total?.median_price, currency)],
      [
        "Middle 50 %",
        total?.p25_price != null
          ? `${compactMoney(total.p25_price, currency)} – ${compactMoney(total.p75_price, currency)}`
          : "–",
      ],
      ["Median per m²", total?.median_price_per_sqm != null ? money(total.median_price_per_sqm, currency) : "–"],
      ["Median days on market", num(total?.median_days_on_market)],
    ]
      .map(([k, v]) => `<div class="kpi"><div class="k">${escapeHtml(k)}</div><div class="v">${escapeHtml(v)}</div></div>`)
      .join("");
    if (!total?.count) $("market-message").innerHTML = '<div class="notice empty">No properties match these filters.</div>';

    const months = [...byMonth].sort((a, b) => groupKey(a).localeCompare(groupKey(b)));
    const monthLabels = months.map((g) => groupKey(g).slice(0, 7));
    draw("chart-month", {
      type: "line",
      data: {
        labels: monthLabels,
        datasets: [
          {
            label: "Median price",
            data: months.map((g) => g.median_price),
            borderColor: GREEN,
            backgroundColor: GREEN,
            tension: 0.25,
          },
        ],
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { y: { ticks: { callback: (v) => compactMoney(Number(v), currency) } } },
      },
    });
    const areas = byArea
      .filter((g) => g.median_price_per_sqm != null && groupKey(g))
      .sort((a, b) => b.count - a.count)
      .slice(0, 15)
      .sort((a, b) => Number(b.median_price_per_sqm) - Number(a.median_price_per_sqm));
    draw("chart-area", {
      type: "bar",
      data: {
        labels: areas.map(groupLabel),
        datasets: [{ label: "Median price per m²", data: areas.map((g) => g.median_price_per_sqm), backgroundColor: GREEN }],
      },
      options: { indexAxis: "y", maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } } },
    });
    const types = [...byType].sort((a, b) => b.count - a.count);
    draw("chart-type", {
      type: "bar",
      data: {
        labels: types.map((g) => label(groupLabel(g))),
        datasets: [
          {
            label: "Properties",
            data: types.map((g) => g.count),
            backgroundColor: ["#2f6f5e", "#5b8e7d", "#8fb5a6", "#c2dbd1", "#a35d1f", "#d49a5c", "#6b5fa6", "#9a93c7"],
          },
        ],
      },
      options: { maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } } },
    });
    draw("chart-flow", {
      type: "bar",
      data: {
        labels: monthLabels,
        datasets: [{ label: "Listed that month", data: months.map((g) => g.count), backgroundColor: GREEN }],
      },
      options: { maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } } },
    });
  } catch (err) {
    $("market-message").innerHTML =
      `<div class="notice error">${escapeHtml(err instanceof ApiFailure ? err.message : "Could not load statistics.")}</div>`;
  } finally {
    for (const b of document.querySelectorAll(".chart-box")) b.classList.remove("skeleton");
  }
}

function fill(state: URLSearchParams) {
  for (const el of Array.from(form.elements) as HTMLInputElement[])
    if (el.name) el.value = state.get(el.name) ?? (el.name === "area_group" ? "city" : "");
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  const state = new URLSearchParams();
  for (const [k, v] of new FormData(form))
    if (String(v).trim() && !(k === "area_group" && v === "city")) state.set(k, String(v).trim());
  history.pushState(null, "", state.size ? `?${state}` : location.pathname);
  void load();
});
form.addEventListener("change", (e) => {
  if ((e.target as HTMLElement).tagName === "SELECT") form.requestSubmit();
});
window.addEventListener("popstate", () => {
  fill(new URLSearchParams(location.search));
  void load();
});
fill(new URLSearchParams(location.search));
void load();
