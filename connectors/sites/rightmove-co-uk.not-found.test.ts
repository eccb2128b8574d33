/**
 * Pages with no listing on them that are no layout change: Rightmove's own "We couldn't find the place
 * you were looking for" page (a real capture kept reduced in fixtures/rightmove-co-uk: its README), which
 * the batch-4 hold-out reported as `layout_changed` (connectors/holdout/RESULTS.md), and a search whose own
 * data says it found nothing. A page that has lost the markers the parsers read still raises the alarm.
 */
import { describe, expect, it } from "vitest";
import type { EnrichmentRequest } from "../contract/connector";
import { parseSavedPage } from "../core/saved-pages";
import { savedPageContext } from "../test-support";
import notFound from "./fixtures/rightmove-co-uk/not-found-2026.html?raw";
import { rightmove, rightmoveNotFoundPage } from "./rightmove-co-uk";

const savedPage = (html: string) => savedPageContext(html, "https://www.rightmove.co.uk");

const bytes = (text: string) => new TextEncoder().encode(text);

/** A 2025 search page (`__NEXT_DATA__`) with the given `searchResults`. */
const searchPage = (searchResults: unknown) =>
  `<html><head><link rel="canonical" href="https://www.rightmove.co.uk/property-for-sale/find.html?locationIdentifier=REGION%5E1"></head><body><script id="__NEXT_DATA__" type="application/json">${JSON.stringify(
    { props: { pageProps: { searchResults } }, page: "/property-for-sale/find" },
  )}</script></body></html>`;

describe("rightmove.co.uk: the site's not-found page", () => {
  it("is recognised by its structure (no listing state; the page's assets are the not-found page's)", () => {
    expect(rightmoveNotFoundPage(notFound)).toMatch(/page-not-found page \("Rightmove - We couldn’t find the place/);
    // Its title alone says it too, where the assets are named otherwise.
    expect(rightmoveNotFoundPage(notFound.replace(/pagenotfound/g, "shell"))).not.toBeNull();
    expect(
      rightmoveNotFoundPage(notFound.replace(/pagenotfound/g, "shell").replace(/<title>.*<\/title>/, "<title>Rightmove</title>")),
    ).toBeNull();
  });

  it("a listing or search URL answered by it is `not_found` (404), not a layout change", async () => {
    const ctx = savedPage(notFound);
    await expect(rightmove.scrape(ctx, "https://www.rightmove.co.uk/properties/1")).rejects.toMatchObject({
      kind: "not_found",
      status: 404,
      message: expect.stringMatching(/^not_found: the site's own page-not-found page/),
    });
    await expect(rightmove.searchPage(ctx, "property-for-sale/Nowhere-1", 1)).rejects.toMatchObject({ kind: "not_found" });
    // Re-scraping a listing that now gets this page: the listing is gone at its source.
    const request = { source_url: "https://www.rightmove.co.uk/properties/1", source: "rightmove.co.uk" } as EnrichmentRequest;
    await expect(rightmove.enrich?.(ctx, request)).resolves.toEqual({ kind: "gone" });
  });

  it("saved-page mode reports it as not found, with the page's own words", async () => {
    const { report, items } = await parseSavedPage(rightmove, "debug-rightmove.html", bytes(notFound), {
      knownDomains: ["rightmove.co.uk", "domain.com.au"],
    });
    expect(items).toEqual([]);
    expect(report).toMatchObject({ kind: null, listings: 0, valid: 0 });
    expect(report.error).toEqual({
      kind: "not_found",
      message: expect.stringMatching(/We couldn’t find the place you were looking for.*no listing or search result on it/),
    });
  });
});

describe("rightmove.co.uk: a search that found nothing", () => {
  it("is a search page with no results (the page's resultCount 0), not a layout change", async () => {
    const empty = searchPage({ properties: [], resultCount: "0", pagination: { total: 0 } });
    const page = await rightmove.searchPage(savedPage(empty), "property-for-sale/find", 1);
    expect(page).toMatchObject({ listings: [], hasMore: false, noResults: expect.stringMatching(/resultCount 0/) });
    const { report } = await parseSavedPage(rightmove, "empty-search.html", bytes(empty));
    expect(report).toMatchObject({ kind: "search", listings: 0, error: { kind: "no_results" } });
  });

  it("a page that lost its cards or its state still raises the layout alarm", async () => {
    // Cards gone while the page says there are 335: something changed.
    const lost = searchPage({ properties: [], resultCount: "335", pagination: { total: 14 } });
    expect((await parseSavedPage(rightmove, "lost.html", bytes(lost))).report.error?.kind).toBe("layout_changed");
    const renamed = searchPage({ listings: [{ id: 1 }], resultCount: "1" });
    expect((await parseSavedPage(rightmove, "renamed.html", bytes(renamed))).report.error).toMatchObject({
      kind: "layout_changed",
      message: expect.stringMatching(/window\.PAGE_MODEL\.propertyData|searchResults\.properties/),
    });
    const shell =
      '<html><head><link rel="canonical" href="https://www.rightmove.co.uk/properties/1"><title>Rightmove</title></head><body><div id="app"></div></body></html>';
    expect((await parseSavedPage(rightmove, "shell.html", bytes(shell))).report.error?.kind).toBe("layout_changed");
  });
});
