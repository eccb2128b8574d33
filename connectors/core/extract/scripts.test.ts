import { describe, expect, it } from "vitest";
import { assignedJson, EmbeddedJsonError, nextData, scriptBlocks } from "./scripts";

describe("embedded data through the HTML parser", () => {
  it("finds __NEXT_DATA__ whatever the attribute quoting, order or formatting", () => {
    const state = { props: { pageProps: { a: 1 } } };
    for (const tag of [
      `<script id="__NEXT_DATA__" type="application/json">`,
      `<script id=__NEXT_DATA__ type=application/json>`,
      `<script type='application/json' id='__NEXT_DATA__' crossorigin="anonymous">`,
      `<SCRIPT ID=__NEXT_DATA__\n  TYPE=application/json>`,
    ]) {
      expect(nextData(`<html><body>${tag}\n  ${JSON.stringify(state, null, 2)}\n</script></body></html>`)).toEqual(state);
    }
    expect(nextData("<html><script>var x = 1</script></html>")).toBeNull();
  });

  it("reports invalid embedded JSON as 'embedded JSON is not valid' with the byte offset in the page", () => {
    const before = "<html><head><title>Ünïcödé</title></head><body><script id=__NEXT_DATA__ type=application/json>";
    const html = `${before}{"props":{"pageProps":{"a":1,}}}</script></body></html>`;
    let error: unknown;
    try {
      nextData(html);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(EmbeddedJsonError);
    const e = error as EmbeddedJsonError;
    expect(e.message).toMatch(/^embedded JSON is not valid: __NEXT_DATA__ at byte \d+/);
    // The offset counts UTF-8 bytes: the title's four two-byte letters move it by four.
    const bytesBefore = new TextEncoder().encode(before).length;
    const bad = '{"props":{"pageProps":{"a":1,'.length;
    expect(e.offset).toBe(bytesBefore + bad);
  });

  it("a state cut off before it closes is a JSON error at the end of the page, not 'not found'", () => {
    const html = '<script>window.jsonModel = {"properties":[{"id":1,';
    expect(() => assignedJson(html, "window.jsonModel")).toThrow(/embedded JSON is not valid: window\.jsonModel at byte 50/);
    expect(assignedJson('<script>window.jsonModel = {"properties":[]};</script>', "window.jsonModel")).toEqual({
      properties: [],
    });
  });

  it("gives every script's attributes and text", () => {
    const blocks = scriptBlocks(`<script type=application/ld+json>{"@type":"House"}</script><script src=x.js></script>`);
    expect(blocks).toEqual([
      { attributes: { type: "application/ld+json" }, text: '{"@type":"House"}' },
      { attributes: { src: "x.js" }, text: "" },
    ]);
  });
});
