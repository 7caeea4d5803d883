// axe-core (web/node_modules/axe-core) as the browser tests run it: WCAG 2.1 A/AA on the
// whole document (axe looks inside open shadow roots by itself), every violation listed
// with its id, impact, help text and nodes, and an auditor that collects the findings of
// every state so one run reports them all (a screenshot of each state too).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { requireFromWeb, screenshot } from './support.mjs';

const AXE_SOURCE = fs.readFileSync(requireFromWeb.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Injects axe-core (once per document) and runs it on the page as it is now: the
 * violations, and the checks axe could not decide ("incomplete", to be reviewed by a person).
 */
export async function runAxe(page) {
  // evaluated through the debugging protocol, not a <script>: a page whose CSP refuses
  // inline scripts (the staff app) must not report axe itself as a violation
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const results = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations', 'incomplete'],
    });
    // a target inside a shadow root is a list of selectors, host first
    const target = (n) => n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' >>> ');
    const brief = (v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: target(n), summary: n.failureSummary })),
    });
    return { violations: results.violations.map(brief), incomplete: results.incomplete.map(brief) };
  }, WCAG_TAGS);
}

function describe(state, violations) {
  const lines = [`${state}: ${violations.length} violation(s)`];
  for (const v of violations) {
    lines.push(`  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes) lines.push(`    - ${n.target}\n      ${(n.summary || '').replace(/\n/g, '\n      ')}`);
  }
  return lines.join('\n');
}

/** Collects the findings of every state, so one run reports them all. */
export function auditor(t, { prefix = 'a11y-', note } = {}) {
  const found = [];
  const checked = [];
  const review = new Set();
  return {
    async check(page, state) {
      const { violations, incomplete } = await runAxe(page);
      checked.push(state);
      if (violations.length) found.push(describe(state, violations));
      for (const v of incomplete) for (const n of v.nodes) review.add(`${v.id}: ${n.target}`);
      await screenshot(page, `${prefix}${state}`);
    },
    assertClean() {
      // not failures: what axe left for a person to check (`note` says what was reviewed)
      if (note) t.diagnostic(note);
      for (const item of review) t.diagnostic(`axe could not decide, review by hand: ${item}`);
      assert.ok(checked.length > 0, 'nothing was checked');
      assert.equal(found.length, 0, `axe-core found WCAG 2.1 A/AA violations:\n${found.join('\n\n')}`);
    },
  };
}
