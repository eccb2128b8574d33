import { cloudflareTest } from "@cloudflare/vitest-plugin";
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

/**
 * Two projects, one run, one summary line:
 * - `workers`: API and Worker tests inside workerd (vitest pool), against the real local data plane;
 * - `browser`: site tests in Node that serve the built site with `wrangler dev` and drive Chromium.
 */
export default defineConfig({
  test: {
    reporters: ["default", "./workers/test/summary-reporter.ts"],
    maxWorkers: 2,
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => {
            const local = inject("localEnv" as never) as LocalEnv;
            const jwtKeys = inject("jwtKeys" as never) as JwtKeyBindings;
            const fixtureUrl = inject("fixtureUrl" as never) as string;
            const fixtures = inject("fixtures" as never) as { urls: { main: string } };
            // The connectors' end-to-end test: the cron crawls the fixture web site (workers/test/fixture-server.ts).
            const crawlSchedule = [
              {
                connector: "rightmove-co-uk",
                location: "property-to-rent/London-87490",
                pages: 1,
                max: 25,
                base_url: `${fixtures.urls.main}/rightmove`,
              },
              {
                connector: "domain-com-au",
                location: "sold-listings/burleigh-heads-qld-4220",
                pages: 1,
                max: 20,
                base_url: `${fixtures.urls.main}/domain`,
              },
              {
                connector: "schema-org",
                pages: 1,
                base_url: fixtures.urls.main,
                settings: {
                  source: "e2e.example.mt",
                  canonicalBase: "https://e2e.example.mt",
                  country: "MT",
                  currency: "EUR",
                  indexPages: "/jsonld/e2e/index?page={page}",
                  listingPattern: "/listing/\\d+$",
                },
              },
            ];

            return {
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                // The front Worker's bindings (wrangler.front.toml), for the tests that run it (front.test.ts,
                // workers/test/distance.ts): the edge's per-IP allowance, lifted like the API limits above, and
                // `DATA`, the service binding to the data Worker (the Worker under test, wrangler.toml's "pillow").
                ratelimits: { EDGE_RATE_LIMITER: { namespace_id: "1001", simple: { limit: 1_000_000, period: 60 } } },
                serviceBindings: { DATA: "pillow" },
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
                  // The outside web, served by workers/test/fixture-server.ts; tests use their own tenants.
                  CRAWL_SCHEDULE: JSON.stringify(crawlSchedule),
                  CRAWL_ALLOW_HOSTS: "127.0.0.1",
                  // Saved-search webhooks to the test receiver (tenant-web-server.ts): short timeout, immediate retries.
                  WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
                  WEBHOOK_TIMEOUT_MS: "1500",
                  WEBHOOK_RETRY_BASE_SECONDS: "0",
                  WEBHOOK_MAX_ATTEMPTS: "4",
                  CRAWL_MIN_DELAY_MS: "10",
                  CRAWL_BACKOFF_BASE_MS: "20",
                  CRAWL_CONTACT_URL: "https://pillow.example/bot",
                  FIXTURE_URL: fixtureUrl,
                  NOMINATIM_URL: `${fixtureUrl}/default-nominatim`,
                  // `npm run fuzz -- --runs N --seed S` (scripts/fuzz.ts); empty = the fuzz test's fixed defaults.
                  FUZZ_RUNS: process.env.FUZZ_RUNS ?? "",
                  FUZZ_SEED: process.env.FUZZ_SEED ?? "",
                  // The tests' OpenID provider (workers/test/oidc-provider.ts): OIDC_ISSUER_LOCAL, …
                  ...(inject("oidcBindings" as never) as Record<string, string>),
                },
              },
            };
          }),
        ],
        test: {
          name: "workers",
          include: ["workers/**/*.test.ts", "connectors/**/*.test.ts", "db/**/*.test.ts", "bench/**/*.test.ts"],
          globalSetup: ["./workers/test/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // The Worker logs from its own request and waitUntil contexts. Intercepted, such a line becomes an
          // RPC that the pool parks until the runner next speaks; parked during a file's last RPC, it is never
          // sent and the run stalls for good with no output (workers-sdk #15719, #15498). Not intercepted, it
          // goes straight to workerd's stdout.
          disableConsoleIntercept: true,
        },
      },
      {
        test: {
          name: "browser",
          // Site tests, and the tests of `npm start` itself (scripts/), which start whole stacks: one at a time.
          include: ["site/test/**/*.browser.test.ts", "scripts/**/*.test.ts"],
          environment: "node",
          globalSetup: ["./site/test/global-setup.ts"],
          // One Chromium and one wrangler dev are enough on a 2-core machine: files run one after another.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 240_000,
          // Chromium-driven site tests wait on rendering and live updates, which a busy 2-core machine can
          // slow past their limits: a failed site test runs again, up to twice. (wrangler dev no longer exits
          // when a client aborts, so the setup no longer restarts it.) The tests of `npm start` opt out.
          retry: 2,
        },
      },
    ],
  },
});
