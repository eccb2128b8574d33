/**
 * axe-core (pinned in package.json) injected into a page under test, with its default rules (WCAG 2.x
 * A/AA and best practices; not the experimental ones). Returns the violations as short lines (rule, impact, the first nodes), so a
 * failing test says what to fix.
 */
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE_SOURCE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global
    const axe = (window as any).axe;
    // axe's default rule set: WCAG 2.x A and AA and its best practices (experimental rules stay off).
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return (result.violations as Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>).map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(", ")}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ""}`,
    );
  });
  return violations;
}
