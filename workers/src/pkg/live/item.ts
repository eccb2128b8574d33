/**
 * The property as live subscribers receive it: the search item's fields (same names as
 * GET /api/v1/properties), plus `features` and `description` for matching. Loaded for all changed ids
 * in one query (pkg/properties/load.ts).
 */
import type { Env } from "../../env";
import { loadPropertyItems, type PropertyWithText } from "../properties/load";

export type LiveItem = PropertyWithText;

export function loadLiveItems(env: Env, ids: string[]): Promise<LiveItem[]> {
  return loadPropertyItems(env, ids);
}
