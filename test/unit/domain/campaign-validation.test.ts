// Validation reports everything at once: a schema error does not hide the template and variable
// problems of the parts that parsed, and a tier the settings lack is refused with its path.
import { describe, expect, it } from 'vitest';
import { validateCampaign } from '../../../shared/domain/campaign-validation.js';
import { loadExamples } from './example-data.js';
import { SETTINGS } from './fixtures.js';

const TIERS = SETTINGS.tiers.map((t) => t.id);

/** A valid document as JSON, with `over` replacing top-level fields. */
const doc = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'camp',
  name: 'Campaign',
  priority: 10,
  anchor: { type: 'lastActivity' },
  steps: [{ id: 's1', offsetDays: 0, channels: { key: ['email'], business: ['email'] }, template: 't' }],
  sendWindow: { start: '09:00', end: '18:00' },
  fallbackLocale: 'en-US',
  templates: { t: { email: { 'en-US': { subject: 'Hi {{ customer.name }}', text: 'Hello' } } } },
  ...over,
});

const paths = (r: ReturnType<typeof validateCampaign>) =>
  r.ok ? [] : r.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

describe('validateCampaign', () => {
  it.each(loadExamples().campaigns.map((c) => [c.id, c] as const))('accepts the example %s', (_id, c) => {
    expect(validateCampaign(c, TIERS)).toMatchObject({ ok: true });
  });

  it('reports a schema error, an unknown template and an unknown variable in one run', () => {
    const result = validateCampaign(
      doc({
        priority: 'high',
        steps: [
          { id: 's1', offsetDays: 0, channels: { key: ['email'] }, template: 't' },
          { id: 's2', offsetDays: 7, channels: { key: ['email'] }, template: 'missing' },
        ],
        templates: { t: { email: { 'en-US': { subject: '{{ customer.nmae }}', text: 'Hello' } } } },
      }),
      TIERS,
    );
    expect(result.ok).toBe(false);
    const found = paths(result);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^priority: /),
        'steps.1.template: no template named missing',
        'templates.t.email.en-US.subject: uses an unknown variable customer.nmae',
      ]),
    );
    expect(found).toHaveLength(3);
  });

  it('checks variables against the anchor that parsed, and against every anchor when it did not', () => {
    const contractVar = {
      t: { email: { 'en-US': { subject: '{{ contract.endDate }}', text: '{{ x.y }}' } } },
    };
    const withAnchor = paths(validateCampaign(doc({ priority: 'x', templates: contractVar }), TIERS));
    expect(withAnchor).toContainEqual(
      expect.stringMatching(/^templates\.t\.email\.en-US\.subject: uses contract/),
    );
    const noAnchor = paths(
      validateCampaign(doc({ priority: 'x', anchor: { type: 'someday' }, templates: contractVar }), TIERS),
    );
    expect(noAnchor.filter((p) => p.startsWith('templates.'))).toEqual([
      'templates.t.email.en-US.text: uses an unknown variable x.y',
    ]);
  });

  it('refuses a tier the settings do not define, with its path', () => {
    const result = validateCampaign(
      doc({
        steps: [{ id: 's1', offsetDays: 0, channels: { key: ['email'], gold: ['email'] }, template: 't' }],
      }),
      TIERS,
    );
    expect(paths(result)).toEqual([
      'steps.0.channels.gold: tier gold is not defined in the settings (tiers: key, business, standard)',
    ]);
    // The same tier is fine where the settings define it.
    expect(validateCampaign(doc(), ['key', 'business'])).toMatchObject({ ok: true });
  });

  it('reports an unknown tier beside a schema error too', () => {
    const result = validateCampaign(
      doc({ name: '', steps: [{ id: 's1', offsetDays: 0, channels: { gold: ['email'] }, template: 't' }] }),
      TIERS,
    );
    expect(paths(result)).toEqual([
      'name: must not be empty',
      'steps.0.channels.gold: tier gold is not defined in the settings (tiers: key, business, standard)',
    ]);
  });

  it('skips the tier check without settings, and reports a valid document as its parsed campaign', () => {
    const result = validateCampaign(
      doc({ steps: [{ id: 's1', offsetDays: 0, channels: { gold: ['email'] }, template: 't' }] }),
    );
    expect(result.ok && result.campaign.steps[0]?.channels).toEqual({ gold: ['email'] });
  });
});
