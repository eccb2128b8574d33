import { beforeAll } from "vitest";
import { unique } from "../../../../test/helpers";
import { insertProperties } from "../../../../test/property-rows";
import { runCommonRouteTests } from "../../../../test/security";

let id = "00000000-0000-4000-8000-000000000000";
beforeAll(async () => {
  id = (await insertProperties([{ city: unique("Secure") }]))[0] as string;
});

runCommonRouteTests({
  method: "GET",
  get path() {
    return `/api/v1/properties/${id}`;
  },
  allowed: ["anonymous"],
});
