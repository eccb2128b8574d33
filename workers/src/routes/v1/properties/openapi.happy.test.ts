import { describe, expect, it } from "vitest";
import { call } from "../../../../test/helpers";

type Doc = {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};

describe("OpenAPI document for ingest", () => {
  it("lists create, batch and delete with the IngestItem schema", async () => {
    const res = await call("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Doc;
    expect(Object.keys(doc.paths["/api/v1/properties"] ?? {})).toContain("post");
    expect(Object.keys(doc.paths["/api/v1/properties/batch"] ?? {})).toContain("post");
    expect(Object.keys(doc.paths["/api/v1/properties/{id}"] ?? {})).toContain("delete");
    const item = doc.components.schemas.IngestItem;
    expect(Object.keys(item?.properties ?? {})).toEqual(
      expect.arrayContaining(["source", "source_listing_id", "source_url", "price", "address", "location", "images"]),
    );
    const batch = doc.paths["/api/v1/properties/batch"]!.post!.requestBody!.content["application/json"]!.schema;
    expect(JSON.stringify(doc.components.schemas.IngestBatchRequest ?? batch)).toContain("#/components/schemas/IngestItem");
  });
});
