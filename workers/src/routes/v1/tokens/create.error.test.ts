import { describe, expect, it } from "vitest";
import { bearerFor, call } from "../../../../test/helpers";

const create = async (body: unknown, auth?: string) =>
  call("/api/v1/tokens", {
    method: "POST",
    headers: { Authorization: auth ?? (await bearerFor("user")), "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

type Envelope = { error: { code: string; message: string } };

describe("POST /api/v1/tokens with bad input", () => {
  it.each([
    ["no name", {}, "name"],
    ["an empty name", { name: "  " }, "name"],
    ["an unknown role", { name: "x", role: "root" }, "role"],
    ["an expiry in the past", { name: "x", expires_at: "2020-01-01T00:00:00Z" }, "expires_at"],
    ["an expiry that is not a date", { name: "x", expires_at: "tomorrow" }, "expires_at"],
    ["an unknown field", { name: "x", user_id: "someone" }, ""],
  ])("is 400 naming the field for %s", async (_, body, field) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as Envelope;
    expect(json.error.code).toBe("VALIDATION_FAILED");
    expect(json.error.message).toContain(field);
  });

  it("is 403 for a role above the caller's own", async () => {
    for (const role of ["service", "admin"]) {
      const res = await create({ name: "escalate", role });
      expect(res.status).toBe(403);
      expect(((await res.json()) as Envelope).error.code).toBe("FORBIDDEN");
    }
  });

  it("is 413 for an oversized body", async () => {
    const res = await create({ name: "x".repeat(100 * 1024) });
    expect(res.status).toBe(413);
  });
});
