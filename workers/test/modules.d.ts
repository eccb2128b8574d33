/** Vite's `?raw` imports (file contents as a string), used by tests that check shipped config files. */
declare module "*?raw" {
  const content: string;
  export default content;
}

/**
 * `oidc-provider` (the tests' OpenID provider, workers/test/oidc-provider.ts) ships no types; only the
 * little the tests use is declared.
 */
declare module "oidc-provider" {
  import type { Server } from "node:http";

  type KoaContext = {
    path: string;
    method: string;
    body: unknown;
    oidc?: { client?: { clientId: string } };
  };
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
    listen(port: number, host: string, callback?: () => void): Server;
  }
}
