// Lean Lambdas: each function bundles only what its handler uses. Sizes are deterministic
// for a given lock file, so they are asserted; import times are only measured, in bench/bundles.ts.
import { describe, expect, it } from 'vitest';
import { measureBundles } from '../../bench/bundles.js';

/** KB budgets: the run's Lambdas read and write the table; send-batch and import-upload do more. */
const BUDGET_KB: Record<string, number> = {
  'select-run': 300,
  'plan-run': 300,
  'summarize-run': 300,
  'ingest-event': 300,
  'delivery-events': 300,
  'send-batch': 600,
  'import-upload': 600,
  // @hono/zod-openapi extends the whole zod namespace (~450 KB) and the API validates phone numbers
  // with libphonenumber's full metadata (~190 KB): docs/decisions.md, "Lean Lambdas".
  api: 1200,
};

describe('Lambda bundles', () => {
  it('every function stays within its size budget, with no AWS SDK or phone metadata where unused', async () => {
    const figures = await measureBundles({ timeImports: false, top: 50 });
    expect(figures.map((f) => f.name).sort()).toEqual(Object.keys(BUDGET_KB).sort());
    for (const f of figures) {
      expect(f.bytes / 1024, f.name).toBeLessThanOrEqual(BUDGET_KB[f.name] ?? 0);
      // The runtime provides the SDK: a bundled copy would show up as an input.
      expect(
        f.top.filter((t) => t.input.startsWith('@aws-sdk/')),
        f.name,
      ).toEqual([]);
    }
    for (const name of ['select-run', 'plan-run', 'summarize-run', 'ingest-event', 'delivery-events'])
      expect(
        figures.find((f) => f.name === name)?.top.map((t) => t.input),
        name,
      ).not.toContain('libphonenumber-js');
  });
});
