// Declarations the site's type check needs besides Astro's own (`astro/client`).

// Modules without type declarations of their own, as the site uses them.
declare module "topojson-client" {
  export function feature(topology: unknown, object: unknown): GeoJSON.FeatureCollection | GeoJSON.Feature;
  export function mesh(
    topology: unknown,
    object?: unknown,
    filter?: (a: unknown, b: unknown) => boolean,
  ): GeoJSON.MultiLineString;
}

// The site imports the Worker's response schemas as types (src/lib/api.ts); some of their modules
// name the Worker's bindings, which `wrangler types` declares for the Worker's own project only.
declare namespace Cloudflare {
  type Env = {};
}
