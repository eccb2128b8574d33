import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bearerFor, call } from "../../../../test/helpers";
import { db, postJson, sampleItem } from "../../../../test/listings";
import { DeletePropertyResponseSchema } from "./delete";

async function remove(id: string) {
  return call(`/api/v1/properties/${id}`, { method: "DELETE", headers: { Authorization: await bearerFor("admin") } });
}

describe("DELETE /api/v1/properties/{id}", () => {
  it("marks the property withdrawn, keeps it and its history, and writes a withdrawn event once", async () => {
    const created = (await (await postJson("/api/v1/properties", sampleItem())).json()) as { data: { id: string } };
    const id = created.data.id;
    const res = await remove(id);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(DeletePropertyResponseSchema.parse(await res.json()).data).toEqual({ id, status: "withdrawn", outcome: "withdrawn" });
    const again = DeletePropertyResponseSchema.parse(await (await remove(id)).json());
    expect(again.data.outcome).toBe("unchanged");

    const { rows } = await db().execute(sql`SELECT status FROM properties WHERE id = ${id}`);
    expect(rows).toEqual([{ status: "withdrawn" }]);
    const { rows: events } = await db().execute(
      sql`SELECT type, old, new FROM property_events WHERE property_id = ${id} ORDER BY id`,
    );
    expect(events.map((e) => e.type)).toEqual(["listed", "withdrawn"]);
    expect(events[1]).toMatchObject({ old: { status: "active" }, new: { status: "withdrawn" } });
  });
});
