/** The account page: saved searches, API keys (create, list, revoke), service tokens for admins, password, deletion. */
import { AuthFailure, authFetch, type BrowserSession, currentSession, signIn, signOut } from "../lib/session";
import { followUnread, loadSavedSearches } from "./account-saved-searches";

type Token = {
  id: string;
  name: string;
  prefix: string;
  service: string | null;
  sources: string[] | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
};

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const when = (iso: string | null, none = "never") => (iso ? new Date(iso).toLocaleString() : none);

function showError(id: string, err: unknown) {
  const el = $(id);
  el.textContent = err instanceof AuthFailure ? err.message : "Something went wrong.";
  el.hidden = false;
}

function cell(text: string, code = false): HTMLTableCellElement {
  const td = document.createElement("td");
  if (code) {
    const c = document.createElement("code");
    c.textContent = text;
    td.append(c);
  } else td.textContent = text;
  return td;
}

function revokeButton(label: string, onConfirm: () => Promise<void>): HTMLTableCellElement {
  const td = document.createElement("td");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "btn secondary small";
  button.textContent = "Revoke";
  button.setAttribute("aria-label", `Revoke ${label}`);
  button.addEventListener("click", async () => {
    if (!window.confirm(`Revoke ${label}? Programs using it stop working at once.`)) return;
    button.disabled = true;
    await onConfirm();
  });
  td.append(button);
  return td;
}

async function loadKeys() {
  const { data } = await authFetch<{ data: Token[] }>("/api/v1/tokens");
  const body = $("key-table").querySelector("tbody")!;
  body.replaceChildren(
    ...data.map((t) => {
      const row = document.createElement("tr");
      row.dataset.id = t.id;
      row.append(
        cell(t.name),
        cell(`${t.prefix}…`, true),
        cell(when(t.created_at)),
        cell(when(t.last_used_at)),
        cell(when(t.expires_at)),
        revokeButton(`the key “${t.name}”`, async () => {
          await authFetch(`/api/v1/tokens/${t.id}`, { method: "DELETE" }).catch((err) => showError("key-error", err));
          await loadKeys();
        }),
      );
      return row;
    }),
  );
  $("no-keys").hidden = data.length > 0;
}

async function loadServiceTokens() {
  const { data } = await authFetch<{ data: Token[] }>("/api/v1/admin/service-tokens");
  const body = $("service-table").querySelector("tbody")!;
  body.replaceChildren(
    ...data.map((t) => {
      const row = document.createElement("tr");
      row.dataset.id = t.id;
      row.append(
        cell(t.service ?? ""),
        cell(`${t.prefix}…`, true),
        cell((t.sources ?? []).join(", ")),
        cell(when(t.created_at)),
        cell(when(t.last_used_at)),
        revokeButton(`the service token of ${t.service}`, async () => {
          await authFetch(`/api/v1/admin/service-tokens/${t.id}`, { method: "DELETE" }).catch((err) =>
            showError("service-error", err),
          );
          await loadServiceTokens();
        }),
      );
      return row;
    }),
  );
}

function wireKeyForm() {
  const form = $<HTMLFormElement>("key-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    $("key-error").hidden = true;
    const name = $<HTMLInputElement>("key-name").value.trim();
    const expiry = $<HTMLInputElement>("key-expiry").value;
    if (!name) return showError("key-error", new AuthFailure("Give the key a name.", 400, "VALIDATION_FAILED"));
    try {
      const body: { name: string; expires_at?: string } = { name };
      if (expiry) body.expires_at = new Date(`${expiry}T23:59:59`).toISOString();
      const { data } = await authFetch<{ data: { token: string } }>("/api/v1/tokens", { method: "POST", body });
      $<HTMLInputElement>("new-key-value").value = data.token;
      $("curl-example").textContent =
        `curl -H "Authorization: Bearer ${data.token}" \\\n  "${location.origin}/api/v1/properties?limit=5"`;
      $("new-key").hidden = false;
      $("new-key").focus();
      form.reset();
      await loadKeys();
    } catch (err) {
      showError("key-error", err);
    }
  });
  $("copy-key").addEventListener("click", async () => {
    const input = $<HTMLInputElement>("new-key-value");
    try {
      await navigator.clipboard.writeText(input.value);
      $("copy-status").textContent = "Copied to the clipboard.";
    } catch {
      input.select();
      $("copy-status").textContent = "Selected: press Ctrl+C (⌘C) to copy.";
    }
  });
}

function wireServiceForm() {
  $<HTMLFormElement>("service-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("service-error").hidden = true;
    const service = $<HTMLInputElement>("service-name").value.trim();
    const sources = $<HTMLInputElement>("service-sources")
      .value.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    try {
      const { data } = await authFetch<{ data: { token: string } }>("/api/v1/admin/service-tokens", {
        method: "POST",
        body: { service, sources },
      });
      $<HTMLInputElement>("new-service-value").value = data.token;
      $("new-service").hidden = false;
      $("new-service").focus();
      await loadServiceTokens();
    } catch (err) {
      showError("service-error", err);
    }
  });
}

/**
 * An account made through an OpenID Connect provider has no password (`has_password: false`): it sets a first
 * one without a current one, and confirms deletion by typing its email address instead (docs/auth.md).
 */
function showPasswordState(hasPassword: boolean) {
  const verb = hasPassword ? "Change password" : "Set a password";
  $("password-heading").textContent = verb;
  $("password-submit").textContent = verb;
  $("no-password-hint").hidden = hasPassword;
  $("current-password-field").hidden = !hasPassword;
  $<HTMLInputElement>("current-password").disabled = !hasPassword;
  $("delete-password-field").hidden = !hasPassword;
  $<HTMLInputElement>("delete-password").disabled = !hasPassword;
  $("delete-email-field").hidden = hasPassword;
  $<HTMLInputElement>("delete-email").disabled = hasPassword;
}

function wirePasswordForm(session: BrowserSession) {
  let hasPassword = session.user.has_password;
  const form = $<HTMLFormElement>("password-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const message = $("password-message");
    const current = $<HTMLInputElement>("current-password").value;
    const next = $<HTMLInputElement>("new-password").value;
    message.classList.remove("error");
    try {
      if (next.length < 12) throw new AuthFailure("The new password needs at least 12 characters.", 400, "VALIDATION_FAILED");
      const body = hasPassword ? { current_password: current, new_password: next } : { new_password: next };
      await authFetch("/api/v1/auth/password", { method: "POST", body });
      // Changing the password ends every sign-in, this one too: sign in again with the new password.
      const renewed = await signIn(session.user.email, next);
      message.textContent = hasPassword
        ? "Password changed. Every other sign-in was ended."
        : "Password set: you can now also sign in with your email and this password.";
      hasPassword = renewed.user.has_password;
      showPasswordState(hasPassword);
      form.reset();
    } catch (err) {
      message.classList.add("error");
      message.textContent = err instanceof AuthFailure ? err.message : "Something went wrong.";
    }
    message.hidden = false;
  });
}

function wireDeleteForm() {
  $<HTMLFormElement>("delete-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("delete-error").hidden = true;
    const password = $<HTMLInputElement>("delete-password");
    const email = $<HTMLInputElement>("delete-email");
    // Only the field the account confirms with is enabled (showPasswordState).
    const body = password.disabled ? { confirm_email: email.value } : { password: password.value };
    if (!window.confirm("Delete your account and all its API keys? This cannot be undone.")) return;
    try {
      await authFetch("/api/v1/auth/account/delete", { method: "POST", body });
      await signOut().catch(() => undefined);
      location.assign("/?account=deleted");
    } catch (err) {
      showError("delete-error", err);
    }
  });
}

async function main() {
  const status = $("account-status");
  let session: BrowserSession | null;
  try {
    session = await currentSession();
  } catch (err) {
    status.textContent = err instanceof AuthFailure ? err.message : "Something went wrong.";
    return;
  }
  if (!session) {
    location.replace(`/signin/?next=${encodeURIComponent(location.pathname)}`);
    return;
  }
  $("account-email").textContent = session.user.email;
  $("account-role").textContent = session.user.role;
  showPasswordState(session.user.has_password);
  wireKeyForm();
  wirePasswordForm(session);
  wireDeleteForm();
  followUnread();
  await Promise.all([loadSavedSearches(), loadKeys().catch((err) => showError("key-error", err))]);
  if (session.user.role === "admin") {
    $("service-section").hidden = false;
    wireServiceForm();
    await loadServiceTokens().catch((err) => showError("service-error", err));
  }
  status.textContent = "";
  status.hidden = true;
  $("account-body").hidden = false;
  document.body.dataset.accountReady = "true";
  if (location.hash === "#saved-searches") $("saved-searches").focus();
}

void main();
