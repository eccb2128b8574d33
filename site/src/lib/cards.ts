/** Result cards: one <li> per property, built as HTML strings from escaped values. */
import type { Property } from "./api";
import { escapeHtml as e, label, money, num, safeUrl } from "./format";
import { HOUSE_ICON } from "./photos";

/** What an approximate position stands for, in words (the map draws it hollow). */
export function approximateTitle(p: Property): string {
  const area = p.location?.precision === "locality" ? "town or suburb" : "postcode area";
  return `Position approximate: the centre of the ${area}, not the property itself`;
}

export function cardHtml(p: Property): string {
  const photo = safeUrl(p.thumbnail_url);
  const facts = [
    p.bedrooms != null ? `<span>${num(p.bedrooms)} bd</span>` : "",
    p.bathrooms != null ? `<span>${num(p.bathrooms, 1)} ba</span>` : "",
    p.area_living_sqm != null ? `<span>${num(p.area_living_sqm)} m²</span>` : "",
    `<span>${e(label(p.property_type))}</span>`,
    p.distance_km != null
      ? p.location?.approximate
        ? `<span data-field="distance" title="${e(approximateTitle(p))}">about ${num(p.distance_km, 1)} km away (approximate position)</span>`
        : `<span data-field="distance">${num(p.distance_km, 1)} km away</span>`
      : "",
  ].join("");
  const address = p.address.full ?? [p.address.street, p.address.city, p.address.postal_code].filter(Boolean).join(", ");
  const title = p.title || address || "Property";
  return `<li class="card" data-id="${e(p.id)}" data-price="${p.price ?? ""}" data-bedrooms="${p.bedrooms ?? ""}">
  <div class="photo${photo ? "" : " no-photo"}">${photo ? `<img src="${e(photo)}" alt="" loading="lazy" decoding="async" referrerpolicy="no-referrer">` : ""}${HOUSE_ICON}</div>
  <div class="body">
    <div style="display:flex;justify-content:space-between;gap:.4rem;align-items:center">
      <span class="price" data-field="price">${e(money(p.price, p.currency))}</span>
      <span class="badge ${e(p.status)}" data-field="status">${e(label(p.status))}</span>
    </div>
    <div class="facts">${facts}</div>
    <a class="title-link" href="/property/${encodeURIComponent(p.id)}">${e(title)}</a>
    ${address && address !== title ? `<p class="address">${e(address)}</p>` : ""}
    <div class="meta"><span>Source: ${e(p.source?.name ?? "unknown")}</span><span>${e(label(p.listing_type))}</span></div>
  </div>
</li>`;
}

export function skeletonCards(n: number): string {
  return Array.from({ length: n }, () => '<li class="card skeleton" style="height:260px" aria-hidden="true"></li>').join("");
}
