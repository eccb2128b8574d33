/**
 * Test side of the fixture web server (workers/test/tenant-web-server.ts): each call to `fixtureTenant()`
 * gets its own namespace on the server, so parallel tests never share places, pages or request logs.
 */
import { testEnv, unique } from "./helpers";

export type FixturePage = { status?: number; body?: string; contentType?: string };
export type LoggedRequest = { path: string; query: Record<string, string>; at: number; userAgent: string | null };

export function fixtureTenant(prefix = "t") {
  const base = `${testEnv.FIXTURE_URL as string}/${unique(prefix)}`;
  const control = async (what: string, body: unknown) => {
    const res = await fetch(`${base}/__fixture/${what}`, { method: "POST", body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`fixture control ${what} failed: ${res.status}`);
    await res.body?.cancel();
  };
  return {
    /** Base URL of this tenant: its pages live under it, and it is a Nominatim endpoint too. */
    base,
    addPlace: (match: string, result: Record<string, unknown>) => control("places", [{ match, result }]),
    setPage: (path: string, page: FixturePage) => control("pages", { path, ...page }),
    setNominatimMode: (mode: "ok" | "down") => control("mode", { nominatim: mode }),
    requests: async (): Promise<LoggedRequest[]> => (await fetch(`${base}/__fixture/requests`)).json(),
  };
}

/** A Nominatim jsonv2 result as the real service shapes it. */
export function nominatimResult(
  lat: number,
  lng: number,
  address: Record<string, string>,
  addresstype = address.house_number ? "building" : "road",
) {
  return {
    place_id: Math.floor(Math.random() * 1e9),
    lat: String(lat),
    lon: String(lng),
    category: addresstype === "road" ? "highway" : "building",
    type: addresstype === "road" ? "residential" : "yes",
    addresstype,
    place_rank: addresstype === "road" ? 26 : 30,
    display_name: Object.values(address).join(", "),
    address,
  };
}
