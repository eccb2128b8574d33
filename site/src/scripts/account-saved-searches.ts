/**
 * The saved-searches section of the account page (docs/saved-searches.md "In the site"): each search with
 * its unread count, its events and webhook status; rename and choose events, pause or resume, delete
 * (confirmed), open it on the search page, and read its matches newest first, a page at a time. Opening
 * the matches marks them read, which the header's live count follows.
 */
import { money, label as plain } from "../lib/format";
import {
  type Delivery,
  deleteSavedSearch,
  EVENT_KINDS,
  EVENT_LABELS,
  type EventKind,
  latestDelivery,
  listSavedSearches,
  type SavedSearch,
  type SavedSearchEvent,
  savedSearchEvents,
  searchPageUrl,
  updateSavedSearch,
} from "../lib/saved-searches";
import { AuthFailure } from "../lib/session";
import { UNREAD_EVENT } from "./unread-badge";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const list = () => $<HTMLUListElement>("saved-list");
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "–");

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node: HTMLElementTagNameMap[K] = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

function button(text: string, onClick: (b: HTMLButtonElement) => void, extra: Partial<HTMLButtonElement> = {}) {
  const b = el("button", { type: "button", className: "btn secondary small", textContent: text, ...extra });
  b.addEventListener("click", () => onClick(b));
  return b;
}

function showError(err: unknown) {
  const box = $("saved-error");
  box.textContent = err instanceof AuthFailure ? err.message : "Something went wrong. Please try again.";
  box.hidden = false;
}

function say(message: string) {
  $("saved-status").textContent = message;
}

/** The query as a person reads it: `city: Hobart · max price: 900000` (statuses and areas shortened). */
export function describeQuery(query: string): string {
  const parts: string[] = [];
  for (const [key, value] of new URLSearchParams(query)) {
    if (key === "status" && value.split(",").length > 3) continue;
    const shown =
      key === "bbox" ? "map area" : key === "polygon" ? "drawn area" : value.length > 40 ? `${value.slice(0, 40)}…` : value;
    parts.push(key === "bbox" || key === "polygon" ? shown : `${plain(key)}: ${shown}`);
  }
  return parts.length ? parts.join(" · ") : "everything";
}

function unreadText(n: number) {
  return n === 0 ? "no new matches" : `${n} new ${n === 1 ? "match" : "matches"}`;
}

function eventLine(e: SavedSearchEvent): HTMLLIElement {
  const p = e.property;
  const change =
    e.kind === "price_drop"
      ? `price down from ${money(Number(e.change.old_price), p.currency)} to ${money(Number(e.change.new_price), p.currency)}`
      : e.kind === "status_change" || e.kind === "back_on_market"
        ? `${plain(String(e.change.old_status ?? ""))} → ${plain(String(e.change.new_status ?? ""))}`
        : "new match";
  return el(
    "li",
    { className: "saved-event" },
    el("a", { href: `/property/${encodeURIComponent(e.property_id)}`, textContent: p.title ?? "Untitled listing" }),
    ` · ${money(p.price, p.currency)} · ${[p.city, p.country].filter(Boolean).join(", ")} · `,
    el("strong", { textContent: change }),
    el("span", { className: "hint", textContent: ` · ${when(e.created_at)}` }),
  );
}

function deliveryText(d: Delivery | null): string {
  if (!d) return "no deliveries yet";
  const code = d.response_code === null ? "" : ` (HTTP ${d.response_code})`;
  const next = d.status === "pending" && d.next_attempt_at ? `, next try ${when(d.next_attempt_at)}` : "";
  const error = d.status !== "succeeded" && d.error ? `: ${d.error}` : "";
  return `last delivery ${d.status}${code} at ${when(d.last_attempt_at ?? d.created_at)}${next}${error}`;
}

function webhookBlock(s: SavedSearch): HTMLElement | null {
  if (!s.webhook_url) return null;
  const state = s.webhook_enabled ? "on" : `off: ${s.webhook_disabled_reason ?? "disabled"}`;
  const status = el("span", { className: "delivery-status", textContent: "checking deliveries…" });
  latestDelivery(s.id).then(
    (d) => {
      status.textContent = deliveryText(d);
    },
    () => {
      status.textContent = "delivery status unavailable";
    },
  );
  return el(
    "p",
    { className: "hint saved-webhook" },
    "Webhook ",
    el("code", { textContent: s.webhook_url }),
    ` (${state}) · `,
    status,
  );
}

function matchesPanel(s: SavedSearch, item: HTMLElement): { panel: HTMLElement; toggle: HTMLButtonElement } {
  const panelId = `matches-${s.id}`;
  const events = el("ul", { className: "saved-events" });
  const more = button("More matches", () => void load(true));
  more.hidden = true;
  const empty = el("p", { className: "hint", textContent: "No matches yet.", hidden: true });
  const panel = el("div", { id: panelId, className: "saved-matches", hidden: true }, events, empty, more);
  let cursor: string | null = null;
  async function load(append: boolean) {
    more.disabled = true;
    try {
      const page = await savedSearchEvents(s.id, append ? cursor : null);
      if (!append) events.replaceChildren();
      events.append(...page.data.map(eventLine));
      cursor = page.pagination.next_cursor;
      more.hidden = cursor === null;
      empty.hidden = events.childElementCount > 0;
      if (!append) setUnread(item, 0);
    } catch (err) {
      showError(err);
    } finally {
      more.disabled = false;
    }
  }
  const toggle = button(
    "Matches",
    (b) => {
      const open = b.getAttribute("aria-expanded") !== "true";
      b.setAttribute("aria-expanded", String(open));
      panel.hidden = !open;
      // Opening shows the newest page and marks the matches read (the API does, on the first page).
      if (open) void load(false);
    },
    { ariaExpanded: "false" },
  );
  toggle.setAttribute("aria-controls", panelId);
  toggle.setAttribute("aria-label", `Matches of “${s.name}”`);
  return { panel, toggle };
}

function setUnread(item: HTMLElement, n: number) {
  const badge = item.querySelector<HTMLElement>(".saved-unread");
  if (!badge) return;
  badge.dataset.count = String(n);
  badge.textContent = unreadText(n);
  badge.classList.toggle("has-new", n > 0);
}

function editForm(s: SavedSearch, onDone: () => void): HTMLFormElement {
  const nameId = `edit-name-${s.id}`;
  const name = el("input", { id: nameId, name: "name", value: s.name, maxLength: 100, required: true, autocomplete: "off" });
  const boxes = EVENT_KINDS.map((kind) =>
    el(
      "label",
      {},
      el("input", { type: "checkbox", name: "event", value: kind, checked: s.events.includes(kind) }),
      ` ${EVENT_LABELS[kind]}`,
    ),
  );
  const error = el("p", { className: "notice error", role: "alert", hidden: true });
  const form = el(
    "form",
    { className: "stack-form saved-edit", noValidate: true, hidden: true },
    el("div", { className: "field" }, el("label", { htmlFor: nameId, textContent: "Name" }), name),
    el("fieldset", { className: "save-events" }, el("legend", { textContent: "Tell me about" }), ...boxes),
    error,
    el(
      "div",
      { className: "form-actions" },
      button("Cancel", () => {
        form.hidden = true;
      }),
      el("button", { type: "submit", className: "btn small", textContent: "Save changes" }),
    ),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const events = [...form.querySelectorAll<HTMLInputElement>("input[name=event]:checked")].map((i) => i.value as EventKind);
    const problem = !name.value.trim()
      ? "Give the search a name."
      : events.length === 0
        ? "Choose at least one thing to be told about."
        : null;
    error.hidden = problem === null;
    if (problem) {
      error.textContent = problem;
      return;
    }
    try {
      await updateSavedSearch(s.id, { name: name.value.trim(), events });
      say(`Saved changes to “${name.value.trim()}”.`);
      onDone();
    } catch (err) {
      error.textContent = err instanceof AuthFailure ? err.message : "Something went wrong. Please try again.";
      error.hidden = false;
    }
  });
  return form;
}

function renderItem(s: SavedSearch): HTMLLIElement {
  const item = el("li", { className: "saved-item" });
  item.dataset.id = s.id;
  const unread = el("span", { className: "saved-unread" });
  const { panel, toggle } = matchesPanel(s, item);
  const form = editForm(s, () => void loadSavedSearches());
  const heading = el("h3", { className: "saved-name" }, el("span", { textContent: s.name }), " ", unread);
  if (s.paused) heading.append(" ", el("span", { className: "badge pending", textContent: "paused" }));
  const actions = el(
    "div",
    { className: "saved-actions" },
    el("a", {
      className: "btn secondary small",
      href: searchPageUrl(s.query),
      textContent: "Open search",
      ariaLabel: `Open search “${s.name}”`,
    }),
    toggle,
    button(
      "Edit",
      () => {
        form.hidden = !form.hidden;
        if (!form.hidden) form.querySelector("input")?.focus();
      },
      { ariaLabel: `Edit “${s.name}”` },
    ),
    button(
      s.paused ? "Resume" : "Pause",
      async (b) => {
        b.disabled = true;
        try {
          await updateSavedSearch(s.id, { paused: !s.paused });
          say(s.paused ? `“${s.name}” records matches again.` : `“${s.name}” is paused: it records nothing until you resume it.`);
          await loadSavedSearches();
        } catch (err) {
          showError(err);
          b.disabled = false;
        }
      },
      { ariaLabel: `${s.paused ? "Resume" : "Pause"} “${s.name}”` },
    ),
    button(
      "Delete",
      async (b) => {
        if (!window.confirm(`Delete the saved search “${s.name}” with its matches? This cannot be undone.`)) return;
        b.disabled = true;
        try {
          await deleteSavedSearch(s.id);
          say(`Deleted “${s.name}”.`);
          await loadSavedSearches();
        } catch (err) {
          showError(err);
          b.disabled = false;
        }
      },
      { ariaLabel: `Delete “${s.name}”` },
    ),
  );
  item.append(
    heading,
    el("p", { className: "hint saved-query", textContent: describeQuery(s.query) }),
    el("p", {
      className: "hint",
      textContent: `Tells you about: ${s.events.map((k) => EVENT_LABELS[k].toLowerCase()).join(", ")}`,
    }),
  );
  const hook = webhookBlock(s);
  if (hook) item.append(hook);
  item.append(actions, form, panel);
  setUnread(item, s.unread_count);
  return item;
}

export async function loadSavedSearches(): Promise<void> {
  $("saved-error").hidden = true;
  try {
    const searches = await listSavedSearches();
    list().replaceChildren(...searches.map(renderItem));
    $("no-saved").hidden = searches.length > 0;
  } catch (err) {
    showError(err);
  }
}

/** New totals from the header's live stream: the per-search counts are read again, in place. */
async function refreshCounts() {
  try {
    const searches = await listSavedSearches();
    for (const s of searches) {
      const item = list().querySelector<HTMLElement>(`.saved-item[data-id="${CSS.escape(s.id)}"]`);
      if (item) setUnread(item, s.unread_count);
    }
  } catch {
    // The next total tries again; the list itself stays as it is.
  }
}

let pending: ReturnType<typeof setTimeout> | undefined;
export function followUnread() {
  window.addEventListener(UNREAD_EVENT, () => {
    clearTimeout(pending);
    pending = setTimeout(() => void refreshCounts(), 300);
  });
}
