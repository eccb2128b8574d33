import { describe, expect, it } from "vitest";
import { call, createUser, jwtBearerFor } from "../../../../test/helpers";
import { runCommonRouteTests } from "../../../../test/security";

runCommonRouteTests({ method: "GET", path: "/api/v1/tokens", credentials: true, allowed: ["user"] });

describe("GET /api/v1/tokens isolation", () => {
  it("user A never sees user B's tokens", async () => {
    const a = await jwtBearerFor("user", (await createUser("user")).id);
    const b = await jwtBearerFor("user", (await createUser("user")).id);
    const made = await call("/api/v1/tokens", {
      method: "POST",
      headers: { Authorization: b, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "b's secret" }),
    });
    const bToken = ((await made.json()) as { data: { id: string } }).data.id;
    const res = await call("/api/v1/tokens", { headers: { Authorization: a } });
    const { data } = (await res.json()) as { data: Array<{ id: string; name: string }> };
    expect(data.map((t) => t.id)).not.toContain(bToken);
    expect(data).toHaveLength(0);
  });
});
