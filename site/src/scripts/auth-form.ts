/** The sign-in and sign-up forms: errors shown beside the form, then on to the (same-site) return path. */
import { listProviders, oidcErrorMessage, startLink } from "../lib/oidc";
import { AuthFailure, safeReturnPath, signIn, signUp } from "../lib/session";

const form = document.getElementById("auth-form") as HTMLFormElement;
const error = document.getElementById("auth-error") as HTMLParagraphElement;
const next = new URLSearchParams(location.search).get("next");
const target = safeReturnPath(next);

// Carry the return path to the other form, so switching between sign-in and sign-up keeps it.
const switchLink = document.getElementById("switch-link") as HTMLAnchorElement | null;
if (switchLink && next) switchLink.href = `${switchLink.pathname}?next=${encodeURIComponent(target)}`;

function show(message: string, field?: HTMLInputElement) {
  error.textContent = message;
  error.hidden = false;
  for (const input of form.querySelectorAll("input")) input.removeAttribute("aria-invalid");
  if (field) {
    field.setAttribute("aria-invalid", "true");
    field.focus();
  }
}

// A sign-in through a provider that failed comes back here with `oidc_error`: say why, in place.
const oidcError = oidcErrorMessage(new URLSearchParams(location.search));
if (oidcError) show(oidcError);

// One button per configured OpenID Connect provider; the section stays hidden when there is none.
const providerSection = document.getElementById("oidc-providers");
const providerList = document.getElementById("oidc-provider-list");
if (providerSection && providerList) {
  listProviders().then((providers) => {
    providerList.replaceChildren(
      ...providers.map((provider) => {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.className = "btn secondary";
        link.href = startLink(provider, target);
        link.textContent = `${form.dataset.mode === "signup" ? "Sign up" : "Sign in"} with ${provider.name}`;
        item.append(link);
        return item;
      }),
    );
    providerSection.hidden = providers.length === 0;
  });
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const email = form.elements.namedItem("email") as HTMLInputElement;
  const password = form.elements.namedItem("password") as HTMLInputElement;
  if (!email.value.includes("@")) return show("Enter your email address.", email);
  if (password.value.length < 12) return show("The password has at least 12 characters.", password);
  const button = form.querySelector("button[type=submit]") as HTMLButtonElement;
  button.disabled = true;
  error.hidden = true;
  try {
    if (form.dataset.mode === "signup") await signUp(email.value, password.value);
    else await signIn(email.value, password.value);
    location.assign(target);
  } catch (err) {
    const failure = err instanceof AuthFailure ? err : new AuthFailure("Something went wrong.", 0, "UNKNOWN");
    show(failure.message, failure.status === 409 ? email : failure.status === 401 ? password : undefined);
    button.disabled = false;
  }
});
