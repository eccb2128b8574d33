import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import type { LocalEnv } from "./scripts/local/services";

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => {
      const local = inject("localEnv" as never) as LocalEnv;
      return {
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            DATABASE_URL: local.DATABASE_URL,
            NEON_HTTP_ENDPOINT: local.NEON_HTTP_ENDPOINT,
            NEON_WS_PROXY: local.NEON_WS_PROXY,
            UPSTASH_REDIS_REST_URL: local.UPSTASH_REDIS_REST_URL,
            UPSTASH_REDIS_REST_TOKEN: local.UPSTASH_REDIS_REST_TOKEN,
          },
        },
      };
    }),
  ],
  test: {
    include: ["workers/**/*.test.ts", "connectors/**/*.test.ts", "db/**/*.test.ts"],
    globalSetup: ["./workers/test/global-setup.ts"],
    reporters: ["default", "./workers/test/summary-reporter.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
});
