/** The benchmark's plan rule: an indexed filter must never scan the big table sequentially. */

/** A sequential scan of `properties` (not of `property_sources` etc.) in a text EXPLAIN plan. */
export function seqScansProperties(planText: string): boolean {
  return /Seq Scan on properties\b/.test(planText);
}
