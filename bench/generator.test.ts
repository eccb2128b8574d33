import { v7 } from "uuid";
import { describe, expect, it } from "vitest";
import { copyValue, PROPERTY_COLUMNS, propertyCopyLine } from "./copy";
import { type BaseListing, type Datasets, num, streetNameOf, titleCase } from "./datasets";
import { benchUuid, generateProperty, jitter, REFERENCE_DATE } from "./generator";
import { seqScansProperties } from "./plan-check";
import { rngFor } from "./random";
import { percentile, summarise } from "./stats";

function base(source: BaseListing["source"], over: Partial<BaseListing> = {}): BaseListing {
  return {
    source,
    country: "AU",
    currency: "AUD",
    state: "VIC",
    city: "Karori",
    streetName: "Turner St",
    postalCode: "3067",
    lat: -37.8,
    lng: 145,
    propertyType: "house",
    bedrooms: 3,
    bathrooms: 1,
    parkingSpaces: 1,
    areaLivingSqm: 120,
    areaLandSqm: 400,
    yearBuilt: 1950,
    price: 1_000_000,
    attributes: { agency: "Biggin" },
    ...over,
  };
}

const data: Datasets = {
  kc_house_data: [base("kc_house_data", { country: "US", currency: "USD", city: "Seattle", lat: 47.6, lng: -122.3 })],
  melb_data: [base("melb_data")],
  nz_wellington_homes: [base("nz_wellington_homes", { country: "NZ", currency: "NZD", price: null })],
  uk_ppd_newcastle: [base("uk_ppd_newcastle", { country: "GB", currency: "GBP", lat: null, lng: null, bedrooms: null })],
};

describe("dataset cell parsers", () => {
  it("reads the data sets' number formats", () => {
    expect(num("$1,234,000")).toBe(1234000);
    expect(num("83e4")).toBe(830000);
    expect(num("1480000.0")).toBe(1480000);
    expect(num("$TBC")).toBeNull();
    expect(num("")).toBeNull();
  });

  it("keeps the street name and drops house and unit numbers", () => {
    expect(streetNameOf("85 Turner St")).toBe("Turner St");
    expect(streetNameOf("2/99 Dixon Street")).toBe("Dixon Street");
    expect(streetNameOf("48B Wright Street")).toBe("Wright Street");
    expect(streetNameOf("4 637 High Street")).toBe("High Street");
  });

  it("title-cases upper-case names only", () => {
    expect(titleCase("HALSWATER DRIVE")).toBe("Halswater Drive");
    expect(titleCase("NEWCASTLE UPON TYNE")).toBe("Newcastle Upon Tyne");
    expect(titleCase("Churton Park")).toBe("Churton Park");
  });
});

describe("generator", () => {
  it("generates the same property for the same seed and row", () => {
    expect(generateProperty(data, 7, 42)).toEqual(generateProperty(data, 7, 42));
    expect(generateProperty(data, 7, 42).id).not.toBe(generateProperty(data, 7, 43).id);
    expect(benchUuid(1, 1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("orders ids by row, all older than ids made now, as the pipeline's time-ordered ids are", () => {
    const ids = [1, 2, 1_000, 1_000_000, 10_000_000].map((n) => benchUuid(3, n));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.at(-1)! < v7()).toBe(true);
  });

  it("jitters coordinates within 500 m", () => {
    const rng = rngFor(1, 1);
    for (let i = 0; i < 500; i++) {
      const p = jitter(rng, 47.6, -122.3, 500);
      const dy = (p.lat - 47.6) * 111_320;
      const dx = (p.lng + 122.3) * 111_320 * Math.cos((47.6 * Math.PI) / 180);
      expect(Math.hypot(dx, dy)).toBeLessThan(501);
    }
  });

  it("follows the reference mix (docs/query-design.md): sources, rentals, statuses, dates, prices", () => {
    const rows = Array.from({ length: 4000 }, (_, i) => generateProperty(data, 3, i + 1));
    const share = (f: (p: (typeof rows)[number]) => boolean) => rows.filter(f).length / rows.length;
    expect(share((p) => p.source === "kc_house_data")).toBeCloseTo(0.42, 1);
    expect(share((p) => p.source === "uk_ppd_newcastle")).toBeCloseTo(0.03, 1);
    expect(share((p) => p.listingType === "rent")).toBeCloseTo(0.1, 1);
    expect(share((p) => p.status === "active")).toBeCloseTo(0.6, 1);
    for (const p of rows) {
      expect(p.listedAt.getTime()).toBeLessThanOrEqual(REFERENCE_DATE);
      expect(p.listedAt.getTime()).toBeGreaterThan(REFERENCE_DATE - 3 * 366 * 86_400_000);
      expect(p.updatedAt.getTime()).toBeGreaterThanOrEqual(p.listedAt.getTime());
      if (p.source === "uk_ppd_newcastle") expect([p.lat, p.bedrooms]).toEqual([null, null]);
      if (p.source === "nz_wellington_homes") expect(p.priceMinor).toBeNull();
      if (p.source === "melb_data" && p.listingType === "sale") {
        expect(p.priceMinor).toBeGreaterThanOrEqual(850_000_00);
        expect(p.priceMinor).toBeLessThanOrEqual(1_150_000_00);
      }
      expect(p.description.length).toBeGreaterThan(300);
    }
  });
});

describe("COPY text format", () => {
  it("escapes separators and writes NULL as \\N", () => {
    expect(copyValue(null)).toBe("\\N");
    expect(copyValue("a\tb\nc\\d")).toBe("a\\tb\\nc\\\\d");
    expect(copyValue({ a: 1 })).toBe('{"a":1}');
  });

  it("writes one value per column", () => {
    const line = propertyCopyLine(generateProperty(data, 1, 5));
    expect(line.endsWith("\n")).toBe(true);
    expect(line.slice(0, -1).split("\t")).toHaveLength(PROPERTY_COLUMNS.length);
  });
});

describe("latency summaries", () => {
  it("uses nearest-rank percentiles", () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(summarise([3, 1, 2])).toMatchObject({ count: 3, p50: 2, max: 3, avg: 2 });
  });
});

describe("plan check", () => {
  it("flags sequential scans of properties only", () => {
    expect(seqScansProperties("  ->  Seq Scan on properties p  (cost=0.00..1.00 rows=1 width=8)")).toBe(true);
    expect(seqScansProperties("  ->  Parallel Seq Scan on properties  (cost=0.00..1.00)")).toBe(true);
    expect(seqScansProperties("  ->  Seq Scan on property_sources s  (cost=0.00..1.00)")).toBe(false);
    expect(seqScansProperties("  ->  Index Scan using properties_pkey on properties p")).toBe(false);
  });
});
