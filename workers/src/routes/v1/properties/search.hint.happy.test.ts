/**
 * An empty search that the status filter emptied says so: the answer's `hint` names the filter, counts
 * the matches of the statuses it left out, and gives the `status` value that includes them. No hint
 * when the other filters match nothing either, or on later pages.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { unique } from "../../../../test/helpers";
import { insertProperties, search } from "../../../../test/property-rows";
import { SearchResponseSchema } from "./schema";

describe("GET /api/v1/properties: why an empty result is empty", () => {
  const city = unique("Hintville");
  beforeAll(async () => {
    await insertProperties([
      { city, status: "sold", price: 300000 },
      { city, status: "sold", price: 350000 },
      { city, status: "withdrawn", price: 320000 },
      { city: unique("Elsewhere"), status: "active", price: 310000 },
    ]);
  });

  it("names the status filter (default active) and the statuses that match", async () => {
    const body = SearchResponseSchema.parse(await search(`city=${city}&count=true`));
    expect(body.data).toEqual([]);
    expect(body.pagination.total).toBe(0);
    expect(body.hint).toEqual({
      filter: "status",
      message: expect.stringContaining("No active listings match; 3 sold, withdrawn listings do"),
      other_statuses: { sold: 2, withdrawn: 1 },
      suggested_status: "active,sold,withdrawn",
    });
    // The suggestion, followed, finds them.
    const followed = await search(`city=${city}&status=${body.hint?.suggested_status}&count=true`);
    expect(followed.pagination.total).toBe(3);
  });

  it("counts with the other filters applied", async () => {
    const body = SearchResponseSchema.parse(await search(`city=${city}&status=pending&max_price=330000`));
    expect(body.hint?.other_statuses).toEqual({ sold: 1, withdrawn: 1 });
    expect(body.hint?.suggested_status).toBe("pending,sold,withdrawn");
  });

  it("gives no hint when listings of every status are asked for, or when nothing matches at all", async () => {
    const every = SearchResponseSchema.parse(
      await search(`city=${city}&status=active,pending,sold,leased,withdrawn,off_market&min_price=900000`),
    );
    expect(every.data).toEqual([]);
    expect(every.hint).toBeUndefined();
    const nothing = SearchResponseSchema.parse(await search(`city=${unique("Nowhere")}`));
    expect(nothing.hint).toBeUndefined();
    const found = SearchResponseSchema.parse(await search(`city=${city}&status=sold`));
    expect(found.data).toHaveLength(2);
    expect(found.hint).toBeUndefined();
  });
});
