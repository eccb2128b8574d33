import { describe, expect, it } from "vitest";
import type { Env } from "../../../env";
import { acceptableIssuer, configuredProviders } from "./providers";

const env = (values: Record<string, string>) => values as unknown as Env;

describe("OpenID Connect providers from bindings", () => {
  it("reads one provider per suffix, and the unsuffixed set as `default`", () => {
    const { providers, problems } = configuredProviders(
      env({
        OIDC_ISSUER: "https://login.example.com",
        OIDC_CLIENT_ID: "abc",
        OIDC_ISSUER_ENTRA_ID: "https://login.microsoftonline.com/tenant/v2.0",
        OIDC_CLIENT_ID_ENTRA_ID: "def",
        OIDC_CLIENT_SECRET_ENTRA_ID: "s3cret",
        OIDC_NAME_ENTRA_ID: "Microsoft",
        UNRELATED: "x",
      }),
    );
    expect(problems).toEqual([]);
    expect(providers.map((p) => [p.id, p.name, p.clientId, p.clientSecret])).toEqual([
      ["default", "login.example.com", "abc", undefined],
      ["entra-id", "Microsoft", "def", "s3cret"],
    ]);
  });

  it("leaves out, and reports, a provider without a client id or with an unacceptable issuer", () => {
    const { providers, problems } = configuredProviders(
      env({
        OIDC_ISSUER_A: "https://a.example",
        OIDC_ISSUER_B: "http://b.example",
        OIDC_CLIENT_ID_B: "b",
        OIDC_ISSUER_C: "   ",
      }),
    );
    expect(providers).toEqual([]);
    expect(problems).toEqual(["OIDC_CLIENT_ID_A is missing", "OIDC_ISSUER_B is not an https URL (http only on a loopback host)"]);
  });

  it.each([
    ["https://accounts.google.com", true],
    ["https://idp.example/realms/x", true],
    ["http://127.0.0.1:4444", true],
    ["http://localhost:8080/", true],
    ["http://[::1]:9000", true],
    ["http://idp.example.com", false],
    ["http://127.0.0.1.nip.io", false],
    ["https://idp.example/?tenant=x", false],
    ["ftp://idp.example", false],
    ["not a url", false],
  ])("issuer %s acceptable: %s", (issuer, ok) => {
    expect(Boolean(acceptableIssuer(issuer))).toBe(ok);
  });
});
