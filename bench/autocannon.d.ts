/** autocannon ships no types; the benchmark uses only this part of its API. */
declare module "autocannon" {
  type Instance = Promise<{ errors: number; timeouts: number }> & {
    on(event: "response", fn: (client: unknown, status: number, bytes: number, responseTime: number) => void): void;
  };
  export default function autocannon(options: Record<string, unknown>): Instance;
}
