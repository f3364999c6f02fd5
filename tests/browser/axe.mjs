// WCAG 2.2 A and AA, as axe-core checks them, on a page in any state.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

export async function axeViolations(page) {
  // Evaluated through the browser's debugging protocol, which the pages' Content-Security-Policy
  // (scripts from the show only) rightly does not let a <script> tag do.
  await page.evaluate(`${AXE};0`);
  const results = await page.evaluate(async (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), WCAG);
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
