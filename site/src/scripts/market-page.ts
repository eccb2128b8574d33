/**
 * The market page: one market (a country and its currency) at a time, chosen in the form or the largest
 * by default; key figures and four charts from GET /api/v1/stats for that market and the filters in the
 * form (and the URL). A chart with nothing to draw says why instead of showing empty axes.
 */
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
import { inventoryByType, type Market, marketName, marketsFrom, marketValue, parseMarket } from "../lib/markets";

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend);

type Stats = { data: StatsGroup[] | { groups: StatsGroup[] } };
const $ = (id: string) => document.getElementById(id)!;
const form = $("market-form") as HTMLFormElement;
const marketSelect = $("m-market") as HTMLSelectElement;
const charts = new Map<string, Chart>();
const GREEN = "#2f6f5e";
const TYPE_COLOURS = ["#2f6f5e", "#5b8e7d", "#8fb5a6", "#c2dbd1", "#a35d1f", "#d49a5c", "#6b5fa6", "#9a93c7"];

function groups(s: Stats) {
  return Array.isArray(s.data) ? s.data : (s.data.groups ?? []);
}

async function stats(filters: URLSearchParams, groupBy: string, market?: Market) {
  const q = apiQuery(filters, { group_by: groupBy });
  q.delete("sort");
  if (market) {
    q.set("country", market.country);
    q.set("currency", market.currency);
  }
  return groups(await apiGet<Stats>(`/api/v1/stats?${q}`));
}

/** Draws a chart, or hides it and says why there is nothing to draw. */
function draw(id: string, config: ConstructorParameters<typeof Chart>[1], emptyWhy: string | null) {
  charts.get(id)?.destroy();
  charts.delete(id);
  const canvas = $(id) as HTMLCanvasElement;
  const empty = $(`${id}-empty`);
  const n = config.data.labels?.length ?? 0;
  canvas.dataset.drawn = String(emptyWhy ? 0 : n);
  canvas.dataset.labels = JSON.stringify(emptyWhy ? [] : (config.data.labels ?? []));
  empty.hidden = !emptyWhy;
  empty.textContent = emptyWhy ?? "";
  canvas.hidden = Boolean(emptyWhy);
  if (!emptyWhy) charts.set(id, new Chart(canvas, config) as Chart);
}

function fillMarkets(markets: Market[], chosen: Market | undefined) {
  marketSelect.innerHTML = markets.length
    ? markets.map((m) => `<option value="${escapeHtml(marketValue(m))}">${escapeHtml(marketName(m))}</option>`).join("")
    : '<option value="">No market matches</option>';
  marketSelect.value = chosen ? marketValue(chosen) : "";
}

async function load() {
  const state = new URLSearchParams(location.search);
  const areaGroup = state.get("area_group") === "postal_code" ? "postal_code" : "city";
  const filters = new URLSearchParams(state);
  for (const k of ["area_group", "market", "country", "currency"]) filters.delete(k);
  $("area-label").textContent = areaGroup === "city" ? "city" : "postal code";
  $("market-message").innerHTML = "";
  for (const b of document.querySelectorAll(".chart-box")) b.classList.add("skeleton");
  try {
    // The markets the filters reach, largest first; the URL's market, or else the largest.
    const markets = marketsFrom(await stats(filters, "country"));
    const asked = parseMarket(state.get("market"));
    const market = (asked && markets.find((m) => marketValue(m) === marketValue(asked))) ?? markets[0];
    fillMarkets(markets, market);
    $("market-hint").textContent = market
      ? markets.length > 1
        ? `${markets.length} markets match these filters; showing ${marketName(market)} properties. Choose another in “Market”.`
        : `One market matches these filters: ${marketName(market)} properties.`
      : "";
    if (asked && market && marketValue(asked) !== marketValue(market))
      $("market-message").innerHTML =
        `<div class="notice empty">No properties of the market ${escapeHtml(marketValue(asked))} match these filters; showing the largest market instead.</div>`;

    const [all, byMonth, byArea, byType] = market
      ? await Promise.all([
          stats(filters, "none", market),
          stats(filters, "month", market),
          stats(filters, areaGroup, market),
          stats(filters, "property_type", market),
        ])
      : [[], [], [], []];
    const total = all[0];
    const currency = market?.currency ?? "USD";
    $("kpis").innerHTML = [
      ["Properties", num(total?.count ?? 0)],
      ["Median price", compactMoney(total?.median_price, currency)],
      [
        "Middle 50 %",
        total?.p25_price != null
          ? `${compactMoney(total.p25_price, currency)} – ${compactMoney(total.p75_price, currency)}`
          : "–",
      ],
      ["Median per m²", total?.median_price_per_sqm != null ? money(total.median_price_per_sqm, currency) : "–"],
      [
        "Median days on market",
        total?.median_days_on_market != null ? num(total.median_days_on_market) : "–",
        // The sources gave no listing date before a sale (datasets of sales): no time on the market to show.
        total?.count && total.median_days_on_market == null ? "no listing dates before sales" : "",
      ],
    ]
      .map(
        ([k, v, note]) =>
          `<div class="kpi"><div class="k">${escapeHtml(k)}</div><div class="v">${escapeHtml(v)}</div>${
            note ? `<div class="k note">${escapeHtml(note)}</div>` : ""
          }</div>`,
      )
      .join("");
    const none = !total?.count;
    if (none) $("market-message").innerHTML = '<div class="notice empty">No properties match these filters.</div>';
    const nothing = "No properties match these filters in this market.";

    const months = [...byMonth].sort((a, b) => groupKey(a).localeCompare(groupKey(b)));
    const monthLabels = months.map((g) => groupKey(g).slice(0, 7));
    const priced = months.filter((g) => g.median_price != null);
    draw(
      "chart-month",
      {
        type: "line",
        data: {
          labels: monthLabels,
          datasets: [
            {
              label: `Median price (${currency})`,
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
      },
      none ? nothing : priced.length === 0 ? "None of these properties has a price." : null,
    );
    const areas = byArea
      .filter((g) => g.median_price_per_sqm != null && groupKey(g))
      .sort((a, b) => b.count - a.count)
      .slice(0, 15)
      .sort((a, b) => Number(b.median_price_per_sqm) - Number(a.median_price_per_sqm));
    draw(
      "chart-area",
      {
        type: "bar",
        data: {
          labels: areas.map(groupLabel),
          datasets: [
            {
              label: `Median price per m² (${currency})`,
              data: areas.map((g) => g.median_price_per_sqm),
              backgroundColor: GREEN,
            },
          ],
        },
        options: { indexAxis: "y", maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } } },
      },
      none
        ? nothing
        : areas.length === 0
          ? `No price per m²: these properties' sources give no living area (or no ${areaGroup === "city" ? "city" : "postal code"}).`
          : null,
    );
    const types = inventoryByType(byType);
    draw(
      "chart-type",
      {
        type: "bar",
        data: {
          labels: types.map((t) => label(t.type)),
          datasets: [{ label: "Properties", data: types.map((t) => t.count), backgroundColor: TYPE_COLOURS }],
        },
        options: {
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: false } },
          scales: { y: { ticks: { precision: 0 } } },
        },
      },
      none ? nothing : null,
    );
    draw(
      "chart-flow",
      {
        type: "bar",
        data: {
          labels: monthLabels,
          datasets: [{ label: "Listed that month", data: months.map((g) => g.count), backgroundColor: GREEN }],
        },
        options: {
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: false } },
          scales: { y: { ticks: { precision: 0 } } },
        },
      },
      none ? nothing : null,
    );
  } catch (err) {
    $("market-message").innerHTML =
      `<div class="notice error">${escapeHtml(err instanceof ApiFailure ? err.message : "Could not load statistics.")}</div>`;
  } finally {
    for (const b of document.querySelectorAll(".chart-box")) b.classList.remove("skeleton");
  }
}

function fill(state: URLSearchParams) {
  for (const el of Array.from(form.elements) as HTMLInputElement[])
    if (el.name && el.name !== "market") el.value = state.get(el.name) ?? (el.name === "area_group" ? "city" : "");
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
