/**
 * The header's count of unread saved-search matches (signed-in accounts): a link to the saved searches on
 * the account page, hidden at 0, kept current by the account's live stream (lib/unread.ts) without a
 * reload. Every new total is also announced to the page as a `pillow:unread` event (the account page
 * refreshes its per-search counts on it).
 */
import { watchUnread } from "../lib/unread";

export const UNREAD_EVENT = "pillow:unread";

export function unreadBadge(): HTMLElement {
  const wrap = document.createElement("span");
  wrap.className = "unread-wrap";
  const link = document.createElement("a");
  link.href = "/account/#saved-searches";
  link.id = "unread-badge";
  link.className = "unread-badge";
  link.dataset.count = "0";
  link.hidden = true;
  wrap.append(link);
  watchUnread((count) => {
    const label = `${count} new ${count === 1 ? "match" : "matches"} for your saved searches`;
    link.dataset.count = String(count);
    link.dataset.live = "open"; // the stream answered (browser tests wait for it)
    link.textContent = count > 99 ? "99+" : String(count);
    link.title = label;
    link.setAttribute("aria-label", label);
    link.hidden = count === 0;
    window.dispatchEvent(new CustomEvent(UNREAD_EVENT, { detail: count }));
  });
  return wrap;
}
