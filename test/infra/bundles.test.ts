// Lean Lambdas: each function bundles only what its handler uses. Sizes are deterministic
// for a given lock file, so they are asserted; import times are only measured, in bench/bundles.ts.
import { describe, expect, it } from 'vitest';
import { measureBundles } from '../../bench/bundles.js';

/**
 * KB budgets, as regression guards a little above what each bundle is now. The run's Lambdas are
 * ~430 KB, of which ~230 KB is the tree-shaken SDK we bundle for a twice-faster cold import
 * (docs/decisions.md, "Lean Lambdas"); send-batch adds SES, SMS and the tracer, import-upload S3,
 * and the API all of these plus @hono/zod-openapi's whole zod and libphonenumber's full metadata.
 */
const BUDGET_KB: Record<string, number> = {
  'select-run': 460,
  // Quiet hours (settings.quietHours) need each SMS touch's phone country: libphonenumber's metadata.
  'plan-run': 680,
  'summarize-run': 460,
  'ingest-event': 460,
  // + the funnel's counters (shared/store/results.ts, docs/cost.md).
  'delivery-events': 470,
  // + a batch named by its send chunk's index (shared/usecases/run/send-chunks.ts, docs/run-at-scale.md).
  'send-batch': 810,
  // + the Step Functions client that starts the chunked import of large uploads (~25 KB).
  'import-upload': 1030,
  // Phone normalization (libphonenumber's full metadata, as imports use) and the SMS client.
  'inbound-sms': 700,
  // + the return path: the unsubscribe page, consent, SMS replies and the sending guard's routes.
  api: 2050,
};

describe('Lambda bundles', () => {
  it('every function stays within its size budget, with no unused credential providers or phone metadata', async () => {
    const figures = await measureBundles({ timeImports: false, top: 50 });
    expect(figures.map((f) => f.name).sort()).toEqual(Object.keys(BUDGET_KB).sort());
    for (const f of figures) {
      expect(f.bytes / 1024, f.name).toBeLessThanOrEqual(BUDGET_KB[f.name] ?? 0);
      // Lambda's environment credentials only: no SSO, INI or process providers, no nested STS/SSO clients.
      expect(
        f.top
          .map((t) => t.input)
          .filter((i) => /credential-provider-(node|sso|ini|process)|nested-clients/.test(i)),
        f.name,
      ).toEqual([]);
    }
    for (const name of ['select-run', 'summarize-run', 'ingest-event', 'delivery-events'])
      expect(
        figures.find((f) => f.name === name)?.top.map((t) => t.input),
        name,
      ).not.toContain('libphonenumber-js');
  });
});
