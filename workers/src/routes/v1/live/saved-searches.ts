import { z } from "@hono/zod-openapi";
import { ApiError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { LIVE_HUB_NAME, type SubscribeRequest } from "../../../pkg/live/protocol";
import { apiRoute } from "../../../pkg/openapi/route";
import { ownerOf } from "../saved-searches/schema";

const route = apiRoute({
  access: "user",
  tags: ["live", "saved-searches"],
  operationId: "live.savedSearches",
  method: "get",
  path: "/api/v1/live/saved-searches",
  summary: "Live unread count of your saved searches' matches (Server-Sent Events)",
  description:
    'Streams `text/event-stream`: `ready` once, then `unread` with `{"unread_count": n}`, the total of `unread_count` ' +
    "over your saved searches: at once, whenever matching records an event for one of them, and when their events are " +
    "read. Only your own searches count. The stream ends after `timeout` seconds; open it again with a fresh token.",
  request: {
    query: z
      .object({
        timeout: z.coerce.number().int().min(1).max(600).default(300).openapi({
          description: "Seconds after which the server ends the stream. Default 300.",
        }),
      })
      .strict(),
  },
  errors: { 503: "Live updates are not configured" },
  responses: {
    200: {
      description: "An event stream",
      content: {
        "text/event-stream": { schema: z.string().openapi({ example: 'event: unread\ndata: {"unread_count":3}\n\n' }) },
      },
    },
  },
});

export function registerLiveSavedSearches(app: App) {
  app.openapi(route, async (c) => {
    // The account is the caller's, never a parameter: a stream carries only its own counts.
    const userId = ownerOf(c.get("identity"));
    const hub = c.env.LIVE_HUB;
    if (!hub) throw new ApiError("SERVICE_UNAVAILABLE", "Live updates are not configured (LIVE_HUB binding missing).");
    const body: SubscribeRequest = { userId, timeoutSeconds: c.req.valid("query").timeout };
    const res = await hub.get(hub.idFromName(LIVE_HUB_NAME)).fetch("https://live-hub/subscribe", {
      method: "POST",
      body: JSON.stringify(body),
    });
    return new Response(res.body, { status: 200, headers: res.headers }) as never;
  });
}
