import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import type { JwtKeyBindings } from "./scripts/local/jwt-keys";
import type { LocalEnv } from "./scripts/local/services";

/**
 * Test rate limits: every test file sends many requests as the same anonymous "IP", so the API limits
 * are far above anything the suite does. Tests of the limits themselves override these with
 * `callWithEnv` or use identities of their own.
 */
const TEST_RATE_LIMITS = JSON.stringify({
  anonymous: { limit: 1_000_000, window: "60 s" },
  user: { limit: 1_000_000, window: "60 s" },
  service: { limit: 1_000_000, window: "60 s" },
  admin: { limit: 1_000_000, window: "60 s" },
});
/** Per-account failures keep the production default (tests use fresh emails); per-IP is lifted. */
const TEST_LOGIN_RATE_LIMITS = JSON.stringify({ ip: { limit: 1_000_000, window: "15 m" } });

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => {
      const local = inject("localEnv" as never) as LocalEnv;
      const jwtKeys = inject("jwtKeys" as never) as JwtKeyBindings;
      return {
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            DATABASE_URL: local.DATABASE_URL,
            NEON_HTTP_ENDPOINT: local.NEON_HTTP_ENDPOINT,
            NEON_WS_PROXY: local.NEON_WS_PROXY,
            UPSTASH_REDIS_REST_URL: local.UPSTASH_REDIS_REST_URL,
            UPSTASH_REDIS_REST_TOKEN: local.UPSTASH_REDIS_REST_TOKEN,
            JWT_PRIVATE_KEY: jwtKeys.JWT_PRIVATE_KEY,
            JWT_PUBLIC_KEYS: jwtKeys.JWT_PUBLIC_KEYS,
            RATE_LIMITS: TEST_RATE_LIMITS,
            LOGIN_RATE_LIMITS: TEST_LOGIN_RATE_LIMITS,
            CORS_ALLOWED_ORIGINS: "https://app.pillow.test",
          },
        },
      };
    }),
  ],
  test: {
    include: ["workers/**/*.test.ts", "connectors/**/*.test.ts", "db/**/*.test.ts", "bench/**/*.test.ts"],
    globalSetup: ["./workers/test/global-setup.ts"],
    reporters: ["default", "./workers/test/summary-reporter.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
});
