import { z } from "@hono/zod-openapi";
import { ApiError } from "../../../pkg/errors";
import type { App } from "../../../pkg/hono/app";
import { apiRoute } from "../../../pkg/openapi/route";
import { loadPropertyDetail } from "../../../pkg/properties/load";
import { invalid } from "../../../pkg/search/invalid";
import { PropertyDetailResponseSchema } from "./schema";

const route = apiRoute({
  access: "anonymous",
  tags: ["properties"],
  operationId: "properties.get",
  method: "get",
  path: "/api/v1/properties/{id}",
  summary: "One property with its description, images, sources, attributes and history",
  description: "Public. An unknown or malformed id is a 404 with the error envelope.",
  request: {
    params: z.object({
      id: z
        .string()
        .max(100)
        .openapi({ param: { name: "id", in: "path" }, example: "0b8f7c2e-3c1d-4a51-9d0e-4f5b6a7c8d9e" }),
    }),
  },
  errors: {
    404: "No property has this id",
  },
  responses: {
    200: { description: "The property", content: { "application/json": { schema: PropertyDetailResponseSchema } } },
  },
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registerPropertiesGet(app: App) {
  app.openapi(route, async (c) => {
    const { id } = c.req.valid("param");
    // The detail takes no query parameters; an unknown one is a 400 rather than silently ignored.
    const [unknown] = Object.keys(c.req.queries());
    if (unknown !== undefined) throw invalid(unknown, "is not a known parameter");
    const notFound = new ApiError("NOT_FOUND", `No property with id ${JSON.stringify(id)}.`);
    if (!UUID.test(id)) throw notFound;
    const data = await loadPropertyDetail(c.env, id);
    if (!data) throw notFound;
    return c.json({ success: true as const, data }, 200);
  });
}
