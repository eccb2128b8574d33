import { z } from "@hono/zod-openapi";
import { ApiError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { withdrawProperty } from "../../../pkg/ingest";
import { apiRoute } from "../../../pkg/openapi/route";

export const DeletePropertyResponseSchema = z
  .object({
    success: z.literal(true),
    data: z.object({
      id: z.uuid(),
      status: z.literal("withdrawn"),
      outcome: z.enum(["withdrawn", "unchanged"]).openapi({ description: "unchanged when it was already withdrawn" }),
    }),
  })
  .openapi("DeletePropertyResponse");

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const route = apiRoute({
  access: "admin",
  tags: ["ingest"],
  operationId: "properties.delete",
  method: "delete",
  path: "/api/v1/properties/{id}",
  summary: "Withdraw a property (admin)",
  description: "Marks the property withdrawn and records a `withdrawn` event. The record and its history are kept.",
  request: {
    params: z.object({
      id: z.string().openapi({ param: { name: "id", in: "path" }, example: "0b6f3f5e-8d0c-4c1e-9d55-3f7a3c2b1a00" }),
    }),
  },
  errors: {
    404: "No such property",
  },
  responses: {
    200: { description: "Withdrawn", content: { "application/json": { schema: DeletePropertyResponseSchema } } },
  },
});

export function registerPropertiesDelete(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    const notFound = () => new ApiError("NOT_FOUND", `No property with id ${id}.`);
    if (!UUID.test(id)) throw notFound();
    const identity = c.get("identity");
    const outcome = await withdrawProperty(c.env, id.toLowerCase(), { source: `admin:${identity.subject}` });
    if (outcome === "not_found") throw notFound();
    return c.json({ success: true as const, data: { id: id.toLowerCase(), status: "withdrawn" as const, outcome } }, 200);
  });
}
