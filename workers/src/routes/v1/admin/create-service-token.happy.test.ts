import { describe, expect, it } from "vitest";
import { bearerFor, call, unique } from "../../../../test/helpers";
import { CreateServiceTokenResponseSchema } from "./create-service-token";

describe("POST /api/v1/admin/service-tokens", () => {
  it("mints an ownerless service token for a connector, shown once", async () => {
    const service = unique("conn");
    const res = await call("/api/v1/admin/service-tokens", {
      method: "POST",
      headers: { Authorization: await bearerFor("admin"), "Content-Type": "application/json" },
      body: JSON.stringify({ service, sources: ["Domain.com.au", "realestate.com.au", "domain.com.au"] }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { data } = CreateServiceTokenResponseSchema.parse(await res.json());
    // Source names are normalised like items' `source` (lower case) and kept once each.
    expect(data).toMatchObject({
      role: "service",
      service,
      name: `service ${service}`,
      sources: ["domain.com.au", "realestate.com.au"],
    });
    expect(data.token).toMatch(/^pil_/);
    // A service token authenticates (as a service: it may not manage user tokens).
    const probe = await call("/api/v1/tokens", { headers: { Authorization: `Bearer ${data.token}` } });
    expect(probe.status).toBe(403);
  });
});
