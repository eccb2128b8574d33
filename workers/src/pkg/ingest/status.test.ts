import { describe, expect, it } from "vitest";
import { deriveStatus, type SourceReport } from "./status";

function report(source: string, status: SourceReport["status"], seenAt: string, soldAt: string | null = null): SourceReport {
  return { source, listingId: "1", status, priceMinor: null, currency: null, soldAt, seenAt };
}

describe("deriveStatus (one status from every source's latest report)", () => {
  it("stays active while any source lists it, whatever an unrelated source says", () => {
    expect(
      deriveStatus([
        report("a", "active", "2026-11-01T00:00:00Z"),
        report("b", "withdrawn", "2026-11-20T00:00:00Z"),
        report("c", "off_market", "2026-11-21T00:00:00Z"),
      ]),
    ).toBe("active");
  });

  it("is sold only when a sale is dated after the last active report", () => {
    const active = report("a", "active", "2026-11-01T00:00:00Z");
    expect(deriveStatus([active, report("r", "sold", "2026-11-30T00:00:00Z", "2026-11-15T00:00:00Z")])).toBe("sold");
    expect(deriveStatus([active, report("r", "sold", "2026-11-30T00:00:00Z", "2015-03-01T00:00:00Z")])).toBe("active");
  });

  it("is pending when the only sources on the market have it under offer", () => {
    expect(deriveStatus([report("a", "pending", "2026-11-01T00:00:00Z"), report("b", "withdrawn", "2026-11-02T00:00:00Z")])).toBe(
      "pending",
    );
  });

  it("takes the most recent report when no source lists it, and says nothing without reports", () => {
    expect(
      deriveStatus([report("a", "withdrawn", "2026-11-01T00:00:00Z"), report("b", "off_market", "2026-11-05T00:00:00Z")]),
    ).toBe("off_market");
    expect(deriveStatus([report("a", null, "2026-11-01T00:00:00Z")])).toBeNull();
  });
});
