/**
 * A very small builder for parameterised SQL: fragments are plain strings with `$n` placeholders and
 * every value goes through `param()`. Search queries are assembled from many optional parts, which
 * drizzle's query builder cannot express (keyset row comparisons, KNN ordering, planner fences), and
 * the same text is what the EXPLAIN check runs.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder, with an explicit cast so the planner never guesses. */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    const placeholder = `$${this.values.length}`;
    return cast ? `${placeholder}::${cast}` : placeholder;
  }
}

export type SqlQuery = { text: string; values: unknown[] };

export function and(parts: Array<string | undefined | false>): string {
  const kept = parts.filter((p): p is string => Boolean(p));
  return kept.length === 0 ? "true" : kept.map((p) => `(${p})`).join(" AND ");
}
