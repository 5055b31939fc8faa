// Campaign documents through the use cases `campaign validate` and `campaign apply` run (create and
// new version), over DynamoDB Local with the example settings. A case is one of the example campaigns
// with one value set, removed or added (JSON, a hostile string, deep nesting), or arbitrary JSON.
// A document the use case refuses (invalid, exists, not found, id mismatch) writes nothing; one it
// accepts is a new campaign or version, which is its job.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { settingsSchema } from '../../../shared/domain/documents.js';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { applyCampaign } from '../../../shared/usecases/campaigns/apply.js';
import { validateCampaignDocument } from '../../../shared/usecases/campaigns/validate.js';
import { HOSTILE_STRINGS } from '../../emulator/support/hostile-inputs.js';
import { change, paths } from '../../emulator/support/json-paths.js';
import type { Outcome } from '../harness.js';

const EXAMPLES = new URL('../../../examples/', import.meta.url);
const readJson = (p: string): unknown => JSON.parse(readFileSync(new URL(p, EXAMPLES), 'utf8'));
const CAMPAIGNS = readdirSync(new URL('campaigns/', EXAMPLES))
  .filter((f) => f.endsWith('.json'))
  .map((f) => readJson(`campaigns/${f}`));

export interface CampaignCase {
  doc: unknown;
  mode: 'validate' | 'create' | 'version';
  id: string;
}

const deep = fc.integer({ min: 30, max: 5_000 }).map((levels) => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
});
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(...Object.values(HOSTILE_STRINGS)),
  deep,
  fc.constantFrom('__proto__', '{{ customer.name | append: x }}', '{% raw %}', '{{', '{{ a.b.c.d }}'),
);

const mutatedCampaign = fc
  .constantFrom(...CAMPAIGNS)
  .chain((valid) =>
    fc
      .tuple(fc.constantFrom(...paths(valid)), fc.constantFrom('set', 'delete', 'extra'), value)
      .map(([p, kind, v]) => change(valid, p, kind === 'delete' ? { kind } : { kind, value: v })),
  );

const campaignCase: fc.Arbitrary<CampaignCase> = fc.record({
  doc: fc.oneof(
    { weight: 8, arbitrary: mutatedCampaign },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  ),
  mode: fc.constantFrom('validate' as const, 'create' as const, 'version' as const),
  id: fc.oneof(
    fc.constantFrom('contract-renewal', 'birthday', 'nobody'),
    fc.constantFrom(...Object.values(HOSTILE_STRINGS)),
  ),
});

export interface CampaignsEdge {
  cases: fc.Arbitrary<CampaignCase>;
  check(c: CampaignCase): Promise<Outcome>;
}

export async function campaignsEdge(store: DynamoStores): Promise<CampaignsEdge> {
  await store.settings.putSettings(settingsSchema.parse(readJson('settings.json')));
  const deps = { campaigns: store.campaigns, settings: store.settings };
  const writes = () => store.capacity.write;
  return {
    cases: campaignCase,
    async check(c) {
      const before = writes();
      if (c.mode === 'validate') {
        const out = await validateCampaignDocument(deps, c.doc, { compliance: true });
        const problem =
          !out.ok && out.issues.length === 0 ? 'a refused campaign without an issue' : undefined;
        return { refused: !out.ok, wrote: writes() - before, ...(problem && { problem }) };
      }
      const input =
        c.mode === 'create'
          ? { doc: c.doc, mode: 'create' as const }
          : { doc: c.doc, mode: 'version' as const, id: c.id };
      const out = await applyCampaign(deps, input);
      return { refused: !out.ok, wrote: writes() - before };
    },
  };
}
