import { describe, it } from "vitest";
import { expectValidationFailed } from "../../../../test/helpers";

describe("GET /api/v1/places with invalid parameters", () => {
  it.each([
    ["", "q"],
    ["q=", "q"],
    ["q=%20%20", "q"],
    [`q=${"a".repeat(101)}`, "q"],
    ["q=Seattle&limit=0", "limit"],
    ["q=Seattle&limit=21", "limit"],
    ["q=Seattle&limit=two", "limit"],
    ["q=Seattle&country=USA", "country"],
    ["q=Seattle&country=U1", "country"],
    ["q=Seattle&kind=city", "kind"],
    ["q=Seattle&kind=locality,", "kind"],
    ["q=Seattle&near=1,2", "near"],
  ])("?%s is a 400 naming %s", async (query, param) => {
    await expectValidationFailed(`/api/v1/places?${query}`, param);
  });
});
