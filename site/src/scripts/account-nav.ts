/**
 * The header's account corner: "Sign in" by default; signed in, the account link (the email), the unread
 * count of saved-search matches and "Sign out".
 */
import { currentSession, signOut } from "../lib/session";
import { unreadBadge } from "./unread-badge";

async function render() {
  const slot = document.getElementById("account-nav");
  if (!slot) return;
  const session = await currentSession().catch(() => null);
  if (!session) return;
  const link = document.createElement("a");
  link.href = "/account/";
  link.className = "account-link";
  link.textContent = session.user.email;
  link.title = "Your account and API keys";
  if (location.pathname.startsWith("/account")) link.setAttribute("aria-current", "page");
  const out = document.createElement("button");
  out.type = "button";
  out.className = "btn secondary small";
  out.id = "sign-out";
  out.textContent = "Sign out";
  out.addEventListener("click", async () => {
    out.disabled = true;
    await signOut().catch(() => undefined);
    location.assign("/");
  });
  slot.replaceChildren(link, unreadBadge(), out);
  slot.dataset.signedIn = "true";
}

void render();
