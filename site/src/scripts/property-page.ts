/** The property page: detail from GET /api/v1/properties/{id}, history chart, map and nearby similar homes. */
import { CategoryScale, Chart, LinearScale, LineController, LineElement, PointElement, Tooltip } from "chart.js";
import { Marker } from "maplibre-gl";
import { ApiFailure, apiGet, type Page, type Property, type PropertyDetail } from "../lib/api";
import { approximateTitle } from "../lib/cards";
import { ANY_STATUS } from "../lib/filters";
import { compactMoney, date, escapeHtml as e, label, money, num, safeUrl } from "../lib/format";
import { priceSeries } from "../lib/history";
import { createMap } from "../lib/map";
import { HOUSE_ICON, replaceBrokenPhotos } from "../lib/photos";

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip);

const $ = (id: string) => document.getElementById(id)!;
const id =
  decodeURIComponent(location.pathname.replace(/^\/property\/?/, "").replace(/\/$/, "")) ||
  new URLSearchParams(location.search).get("id") ||
  "";

async function main() {
  const article = $("property");
  if (!id) return fail("No property id in the address.");
  try {
    const { data: p } = await apiGet<{ data: PropertyDetail }>(`/api/v1/properties/${encodeURIComponent(id)}`);
    render(p);
    $("prop-body").hidden = false;
    void nearby(p);
  } catch (err) {
    fail(err instanceof ApiFailure ? err.message : "Something went wrong loading this property.");
  } finally {
    article.setAttribute("aria-busy", "false");
  }
}

function fail(msg: string) {
  $("prop-message").innerHTML = `<div class="notice error">${e(msg)} <a href="/">Search properties</a></div>`;
}

function render(p: PropertyDetail) {
  const address = p.address.full ?? [p.address.street, p.address.city, p.address.postal_code].filter(Boolean).join(", ");
  const heading = p.title || address || "Property";
  document.title = `${heading} · Pillow`;
  $("prop-title").textContent = heading;
  $("prop-address").textContent = address;
  $("prop-price").textContent = money(p.price, p.currency);
  $("prop-status").textContent = label(p.status);
  $("prop-status").className = `badge ${p.status}`;
  $("prop-ppsqm").textContent = p.price_per_sqm != null ? `${money(p.price_per_sqm, p.currency)} per m²` : "";
  gallery(p);
  const facts: [string, string][] = [
    ["Type", label(p.property_type)],
    ["Listing", label(p.listing_type)],
    ["Bedrooms", num(p.bedrooms)],
    ["Bathrooms", num(p.bathrooms, 1)],
    ["Parking", num(p.parking_spaces)],
    ["Living area", p.area_living_sqm != null ? `${num(p.area_living_sqm)} m²` : "–"],
    ["Land", p.area_land_sqm != null ? `${num(p.area_land_sqm)} m²` : "–"],
    ["Built", p.year_built != null ? String(p.year_built) : "–"],
    ["Listed", date(p.listed_at)],
    ["Updated", date(p.updated_at)],
    ["Data quality", `${Math.round((p.quality_score ?? 0) * 100)}%`],
  ];
  $("facts").innerHTML = facts.map(([k, v]) => `<div><dt>${e(k)}</dt><dd>${e(v)}</dd></div>`).join("");
  $("description").innerHTML = p.description
    ? p.description
        .split(/\n{2,}/)
        .map((para) => `<p>${e(para)}</p>`)
        .join("")
    : '<p class="hint">No description from the sources.</p>';
  $("features").textContent = p.features?.length ? `Features: ${p.features.map(label).join(", ")}` : "";
  $("sources").innerHTML = (p.sources?.length ? p.sources : [p.source])
    .map((s) => {
      const url = safeUrl(s.url);
      return `<li>${url ? `<a href="${e(url)}" rel="nofollow noopener" target="_blank">${e(s.name)}</a>` : e(s.name)}</li>`;
    })
    .join("");
  historyChart(p);
  if (p.location) {
    const approximate = p.location.approximate === true;
    const map = createMap($("prop-map"), { center: [p.location.lng, p.location.lat], zoom: approximate ? 11 : 13 });
    // An approximate position (postcode or locality centroid) is a hollow ring, never the pin of a house.
    const marker = approximate
      ? new Marker({ element: Object.assign(document.createElement("div"), { className: "approx-marker" }) })
      : new Marker({ color: "#2f6f5e" });
    marker.setLngLat([p.location.lng, p.location.lat]).addTo(map);
    if (approximate) {
      const note = Object.assign(document.createElement("p"), { className: "hint location-note" });
      note.dataset.field = "location-note";
      note.textContent = `${approximateTitle(p)}. ${p.location.attribution ?? ""}`.trim();
      $("prop-map").after(note);
    }
  } else {
    $("prop-map").innerHTML =
      '<p class="hint" style="padding:1rem">No coordinates yet: this property is waiting for geocoding.</p>';
  }
}

function gallery(p: PropertyDetail) {
  const urls = p.images?.length ? p.images.map((i) => (typeof i === "string" ? i : i.url)) : [p.thumbnail_url];
  const images = urls.map(safeUrl).filter((u): u is string => !!u);
  const main = $("gallery-main");
  const thumbs = $("gallery-thumbs");
  if (!images.length) {
    // Open datasets (sales registers) have no photos: no empty frame, just the facts.
    main.closest<HTMLElement>(".gallery")!.hidden = true;
    return;
  }
  // A photo that fails shows the placeholder (lib/photos.ts); a failed thumbnail is dropped from the strip.
  if (!main.dataset.fallback) {
    main.dataset.fallback = "true";
    replaceBrokenPhotos(main, ".main");
    replaceBrokenPhotos(thumbs, "button");
  }
  const show = (i: number) => {
    main.classList.remove("no-photo");
    main.innerHTML = `<img src="${e(images[i])}" alt="Photo ${i + 1} of ${images.length}" referrerpolicy="no-referrer">${HOUSE_ICON}<span class="photo-missing">Photo unavailable</span>`;
    for (const [j, b] of thumbs.querySelectorAll("button").entries()) b.setAttribute("aria-pressed", String(i === j));
  };
  thumbs.innerHTML = images
    .map(
      (u, i) =>
        `<button type="button" aria-label="Show photo ${i + 1}"><img src="${e(u)}" alt="" loading="lazy" referrerpolicy="no-referrer"></button>`,
    )
    .join("");
  for (const [i, b] of thumbs.querySelectorAll("button").entries()) b.addEventListener("click", () => show(i));
  show(0);
  if (images.length < 2) thumbs.hidden = true;
}

function historyChart(p: PropertyDetail) {
  const points = priceSeries(p);
  const body = $("history-table").querySelector("tbody")!;
  body.innerHTML = p.history?.length
    ? p.history
        .map((h) => {
          const change =
            h.type === "price_change" || h.type === "listed" || h.type === "sold"
              ? `${h.old != null ? `${e(moneyOf(h.old, p.currency))} → ` : ""}${e(moneyOf(h.new, p.currency))}`
              : `${e(label(String(h.old ?? "–")))} → ${e(label(String(h.new ?? "–")))}`;
          return `<tr><td>${e(date(h.at))}</td><td>${e(label(h.type))}</td><td>${change}</td><td>${e(h.source ?? "")}</td></tr>`;
        })
        .join("")
    : '<tr><td colspan="4" class="hint">No recorded events yet.</td></tr>';
  const canvas = $("history-chart") as HTMLCanvasElement;
  canvas.setAttribute(
    "aria-label",
    `Price history: ${points.map((pt) => `${pt.label} ${money(pt.price, p.currency)}`).join("; ")}`,
  );
  new Chart(canvas, {
    type: "line",
    data: {
      labels: points.map((pt) => pt.label),
      datasets: [
        {
          label: "Price",
          data: points.map((pt) => pt.price),
          borderColor: "#2f6f5e",
          backgroundColor: "#2f6f5e",
          stepped: true,
          pointRadius: 4,
        },
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { ticks: { callback: (v) => compactMoney(Number(v), p.currency) } } },
      plugins: { tooltip: { callbacks: { label: (ctx) => money(Number(ctx.parsed.y), p.currency) } } },
    },
  });
  canvas.dataset.points = String(points.length);
}

function moneyOf(v: unknown, currency: string): string {
  const n = typeof v === "object" && v !== null && "price" in v ? Number((v as { price: unknown }).price) : Number(v);
  return Number.isFinite(n) ? money(n, currency) : String(v ?? "–");
}

async function nearby(p: PropertyDetail) {
  const list = $("nearby");
  if (!p.location) {
    list.innerHTML = '<li class="hint">Needs coordinates.</li>';
    return;
  }
  const q = new URLSearchParams({
    near: `${p.location.lat},${p.location.lng}`,
    radius_km: "3",
    sort: "distance",
    property_type: p.property_type,
    status: ANY_STATUS,
    limit: "6",
  });
  if (p.bedrooms != null) {
    q.set("min_bedrooms", String(Math.max(0, p.bedrooms - 1)));
    q.set("max_bedrooms", String(p.bedrooms + 1));
  }
  try {
    const page = await apiGet<Page<Property>>(`/api/v1/properties?${q}`);
    const others = page.data.filter((o) => o.id !== p.id).slice(0, 5);
    list.innerHTML = others.length
      ? others
          .map(
            (o) =>
              `<li><a href="/property/${encodeURIComponent(o.id)}"><span>${e(o.address.full ?? o.title ?? "Property")}<br><span class="hint">${num(o.bedrooms)} bd · ${o.distance_km != null ? `${num(o.distance_km, 1)} km` : ""}</span></span><strong>${e(compactMoney(o.price, o.currency))}</strong></a></li>`,
          )
          .join("")
      : '<li class="hint">No similar properties within 3 km.</li>';
  } catch (err) {
    list.innerHTML = `<li class="hint">${e(err instanceof ApiFailure ? err.message : "Could not load nearby properties.")}</li>`;
  }
}

void main();
