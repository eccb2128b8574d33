/**
 * The front Worker's `DATA` service binding as the local stand-ins model it (distance.ts): the request
 * crosses from the data centre that received it to the region where the data Worker is placed, one
 * round trip of `linkRttMs`, and is counted as one `data` trip. Used where both Workers run in one
 * Miniflare (the distance benchmark, bench/worker.ts), as a function service binding.
 */
import { countTrip, type Distance, travel } from "./distance.ts";

export function regionLink<Req, Res>(
  distance: Distance,
  forward: (request: Req) => Promise<Res>,
): (request: Req) => Promise<Res> {
  return async (request) => {
    countTrip(distance, "data", "");
    await travel(distance, distance.linkRttMs);
    return forward(request);
  };
}
