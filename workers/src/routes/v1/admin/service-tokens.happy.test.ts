import { describe, expect, it } from "vitest";
import { bearerFor, call, unique } from "../../../../test/helpers";
import { ListServiceTokensResponseSchema } from "./list-service-tokens";
import { UpdateServiceTokenResponseSchema } from "./update-service-token";

const json = (method: string, auth: string, body: unknown) => ({
  method,
  headers: { Authorization: auth, "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

describe("GET and PATCH /api/v1/admin/service-tokens", () => {
  it("lists a connector's tokens with their sources, and changes them", async () => {
    const admin = await bearerFor("admin");
    const service = unique("conn");
    const minted = await call("/api/v1/admin/service-tokens", json("POST", admin, { service, sources: ["a.example"] }));
    expect(minted.status).toBe(201);
    const { id, token } = ((await minted.json()) as { data: { id: string; token: string } }).data;

    const listed = await call(`/api/v1/admin/service-tokens?service=${service}`, { headers: { Authorization: admin } });
    expect(listed.status).toBe(200);
    const { data } = ListServiceTokensResponseSchema.parse(await listed.json());
    expect(data).toEqual([expect.objectContaining({ id, service, role: "service", sources: ["a.example"] })]);
    expect(JSON.stringify(data)).not.toContain(token);

    const changed = await call(
      `/api/v1/admin/service-tokens/${id}`,
      json("PATCH", admin, { sources: ["b.example", "c.example"] }),
    );
    expect(changed.status, await changed.clone().text()).toBe(200);
    expect(UpdateServiceTokenResponseSchema.parse(await changed.json()).data.sources).toEqual(["b.example", "c.example"]);

    const widened = await call(`/api/v1/admin/service-tokens/${id}`, json("PATCH", admin, { sources: ["*"] }));
    expect(UpdateServiceTokenResponseSchema.parse(await widened.json()).data.sources).toEqual(["*"]);
  });

  it("PATCH of an unknown id, or of a token that is not a service token, is 404", async () => {
    const admin = await bearerFor("admin");
    const unknown = await call(`/api/v1/admin/service-tokens/${crypto.randomUUID()}`, json("PATCH", admin, { sources: ["*"] }));
    expect(unknown.status).toBe(404);
    const user = await bearerFor("user");
    const made = await call("/api/v1/tokens", json("POST", user, { name: "not a service token" }));
    const userTokenId = ((await made.json()) as { data: { id: string } }).data.id;
    const res = await call(`/api/v1/admin/service-tokens/${userTokenId}`, json("PATCH", admin, { sources: ["*"] }));
    expect(res.status).toBe(404);
  });

  it("PATCH with a bad source list is 400 naming sources", async () => {
    const admin = await bearerFor("admin");
    for (const sources of [[], ["*", "a.example"], ["no spaces allowed"], "a.example"]) {
      const res = await call(`/api/v1/admin/service-tokens/${crypto.randomUUID()}`, json("PATCH", admin, { sources }));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain("sources");
    }
  });
});
