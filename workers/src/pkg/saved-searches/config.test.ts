import { describe, expect, it } from "vitest";
import type { Env } from "../../env";
import { MAX_RETRY_DELAY_SECONDS, retryDelaySeconds, webhookSettings } from "./config";

describe("webhook retry schedule", () => {
  it("by default spreads a delivery's attempts over more than 24 hours, doubling, each wait within the queue's limit", () => {
    const settings = webhookSettings({} as Env);
    expect(settings).toMatchObject({ timeoutMs: 10_000, maxAttempts: 13, retryBaseSeconds: 60, allowHosts: [] });
    const waits = Array.from({ length: settings.maxAttempts - 1 }, (_, i) => retryDelaySeconds(settings, i + 1));
    expect(waits.slice(0, 4)).toEqual([60, 120, 240, 480]);
    expect(Math.max(...waits)).toBe(MAX_RETRY_DELAY_SECONDS);
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThan(24 * 3600);
  });

  it("reads its bindings, ignoring values that are not numbers", () => {
    const settings = webhookSettings({
      WEBHOOK_TIMEOUT_MS: "2500",
      WEBHOOK_MAX_ATTEMPTS: "x",
      WEBHOOK_ALLOW_HOSTS: " 127.0.0.1 ,Example.test",
    } as unknown as Env);
    expect(settings).toMatchObject({ timeoutMs: 2500, maxAttempts: 13, allowHosts: ["127.0.0.1", "example.test"] });
  });
});
