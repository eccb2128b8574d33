/** Taking a property off the market by hand (admin) or because its source dropped it (enrichment). */
import type { Env } from "../../env";
import { propertiesChanged } from "../changes";
import { withdraw } from "./store";

export type WithdrawOutcome = "withdrawn" | "unchanged" | "not_found";

/**
 * Marks the property `withdrawn` and records a `withdrawn` event; the record and its history stay.
 * Withdrawing a withdrawn property changes nothing.
 */
export async function withdrawProperty(env: Env, id: string, options: { source: string }): Promise<WithdrawOutcome> {
  const before = await withdraw(env, id, options.source);
  if (before === null) return "not_found";
  if (before === "withdrawn") return "unchanged";
  await propertiesChanged(env, [{ id, outcome: "withdrawn" }]);
  return "withdrawn";
}
