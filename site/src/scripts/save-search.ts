/**
 * "Save this search" on the search page (docs/saved-searches.md "In the site"): saves the search the URL
 * holds (every filter, the place and the map area) under a name the person can change, with the events
 * they want. Signed out, the dialog asks to sign in and the sign-in returns to the same search with the
 * dialog open again (`#save`). Errors (a quota of 50, a filter the API refuses) are shown in the dialog.
 */
import { createSavedSearch, EVENT_KINDS, type EventKind, savedQueryOf } from "../lib/saved-searches";
import { AuthFailure, currentSession } from "../lib/session";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const dialog = $<HTMLDialogElement>("save-dialog");
const form = $<HTMLFormElement>("save-form");
const nameInput = $<HTMLInputElement>("save-name");
const error = $("save-error");
const done = $("save-done");
const submit = $<HTMLButtonElement>("save-submit");
const REOPEN = "#save";

/** A readable default name: where, what and how much, from the page's filters. */
export function defaultName(page: URLSearchParams): string {
  const where =
    page.get("city") ??
    page.get("postal_code") ??
    page.get("state") ??
    (page.has("bbox") || page.has("polygon") ? "Map area" : page.has("near") ? `Within ${page.get("radius_km")} km` : null) ??
    (page.get("country") || "Anywhere");
  const parts = [where];
  const q = page.get("q");
  if (q) parts.push(`“${q}”`);
  const types = page.get("property_type");
  if (types) parts.push(types.replace(/_/g, " ").replace(/,/g, ", "));
  const money = (v: number) => v.toLocaleString("en");
  const [min, max] = [Number(page.get("min_price")) || 0, Number(page.get("max_price")) || 0];
  if (min && max) parts.push(`${money(min)}–${money(max)}`);
  else if (max) parts.push(`up to ${money(max)}`);
  else if (min) parts.push(`from ${money(min)}`);
  const beds = page.get("min_bedrooms");
  if (beds) parts.push(`${beds}+ beds`);
  return parts.join(" · ").slice(0, 100);
}

function showError(message: string) {
  error.textContent = message;
  error.hidden = false;
}

async function open() {
  error.hidden = true;
  done.hidden = true;
  const session = await currentSession().catch(() => null);
  const back = `${location.pathname}${location.search}${REOPEN}`;
  $<HTMLAnchorElement>("save-signin-link").href = `/signin/?next=${encodeURIComponent(back)}`;
  $<HTMLAnchorElement>("save-signup-link").href = `/signup/?next=${encodeURIComponent(back)}`;
  $("save-signin").hidden = session !== null;
  $("save-fields").hidden = session === null;
  submit.hidden = session === null;
  if (session) nameInput.value = defaultName(new URLSearchParams(location.search));
  dialog.showModal();
  (session ? nameInput : $("save-signin-link")).focus();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.hidden = true;
  const name = nameInput.value.trim();
  const events = [...form.querySelectorAll<HTMLInputElement>("input[name=save-event]:checked")].map((i) => i.value as EventKind);
  if (!name) {
    nameInput.setAttribute("aria-invalid", "true");
    nameInput.focus();
    return showError("Give the search a name.");
  }
  nameInput.removeAttribute("aria-invalid");
  if (events.length === 0) return showError("Choose at least one thing to be told about.");
  submit.disabled = true;
  try {
    const saved = await createSavedSearch({ name, query: savedQueryOf(new URLSearchParams(location.search)), events });
    dialog.close();
    done.replaceChildren(
      `Saved “${saved.name}”. New matches show as a count beside your account at the top; `,
      Object.assign(document.createElement("a"), { href: "/account/#saved-searches", textContent: "manage your saved searches" }),
      ".",
    );
    done.classList.remove("error");
    done.hidden = false;
    done.focus();
  } catch (err) {
    if (err instanceof AuthFailure && err.status === 401) {
      $("save-signin").hidden = false;
      $("save-fields").hidden = true;
      submit.hidden = true;
    }
    showError(err instanceof AuthFailure ? err.message : "Something went wrong. Please try again.");
  } finally {
    submit.disabled = false;
  }
});

$("save-cancel").addEventListener("click", () => dialog.close());
$("save-search").addEventListener("click", () => void open());
for (const kind of EVENT_KINDS) {
  const box = form.querySelector<HTMLInputElement>(`input[name=save-event][value=${kind}]`);
  if (box) box.checked = kind === "new_match" || kind === "price_drop";
}

// Back from signing in (or a shared link to save): open the dialog again and drop the marker.
if (location.hash === REOPEN) {
  history.replaceState(history.state, "", `${location.pathname}${location.search}`);
  void open();
}
