// Validating a campaign document reports every problem in one pass: schema errors, steps naming
// templates the campaign lacks, templates using unknown variables, and tiers the settings do not
// define. zod stops at the schema (a refinement never runs once a field fails), so when the schema
// fails, the parts that did parse are checked here on their own.
import * as z from 'zod';
import {
  type CampaignIssue,
  checkCampaign,
  checkField,
  type FieldRef,
  type TemplateBasis,
} from './campaign-checks.js';
import {
  anchorSchema,
  type Campaign,
  campaignSchema,
  locale,
  type Step,
  stepReferenceIssues,
  stepSchema,
  type TemplateIndex,
} from './documents.js';

export type CampaignValidation = { ok: true; campaign: Campaign } | { ok: false; issues: CampaignIssue[] };

/** The parts of a document checked when the whole does not parse; anything else reads as absent. */
const looseRecord = z.record(z.string(), z.unknown()).catch({});
const looseTemplates = z
  .record(
    z.string(),
    z
      .looseObject({
        email: z.record(z.string(), z.unknown()).optional().catch(undefined),
        sms: z.record(z.string(), z.unknown()).optional().catch(undefined),
      })
      .catch({}),
  )
  .catch({});
const looseFields = z
  .looseObject({
    subject: z.string().optional().catch(undefined),
    text: z.string().optional().catch(undefined),
    html: z.string().optional().catch(undefined),
  })
  .catch({});

/** Every template field that is a string, wherever the rest of its template is wrong. */
function* looseTemplateFields(templates: z.infer<typeof looseTemplates>): Generator<FieldRef> {
  for (const [name, perChannel] of Object.entries(templates)) {
    for (const [loc, value] of Object.entries(perChannel.email ?? {})) {
      const f = looseFields.parse(value);
      if (f.subject !== undefined)
        yield { name, channel: 'email', locale: loc, field: 'subject', source: f.subject };
      if (f.text !== undefined) yield { name, channel: 'email', locale: loc, field: 'text', source: f.text };
      if (f.html !== undefined) yield { name, channel: 'email', locale: loc, field: 'html', source: f.html };
    }
    for (const [loc, value] of Object.entries(perChannel.sms ?? {})) {
      const f = looseFields.parse(value);
      if (f.text !== undefined) yield { name, channel: 'sms', locale: loc, field: 'text', source: f.text };
    }
  }
}

/** The checks beyond the schema, on whatever parsed of a document that failed it. */
function partsIssues(doc: unknown, tierIds: readonly string[] | undefined): CampaignIssue[] {
  const raw = looseRecord.parse(doc);
  const rawSteps = Array.isArray(raw.steps) ? raw.steps : [];
  const steps: { index: number; step: Step }[] = [];
  rawSteps.forEach((s: unknown, index) => {
    const parsed = stepSchema.safeParse(s);
    if (parsed.success) steps.push({ index, step: parsed.data });
  });
  const templates = looseTemplates.parse(raw.templates);
  const index: TemplateIndex = templates;
  const fallback = locale.safeParse(raw.fallbackLocale);
  const anchor = anchorSchema.safeParse(raw.anchor);
  const issues: CampaignIssue[] = stepReferenceIssues(
    steps,
    index,
    fallback.success ? fallback.data : undefined,
  );
  const basis: TemplateBasis = {
    anchor: anchor.success ? anchor.data : undefined,
    id: typeof raw.id === 'string' ? raw.id : 'campaign',
    name: typeof raw.name === 'string' ? raw.name : 'Campaign',
    steps: steps.map((s) => s.step),
  };
  for (const ref of looseTemplateFields(templates)) checkField(basis, ref, issues);
  if (tierIds) issues.push(...unknownTierIssues(steps, tierIds));
  return issues;
}

/** A tier a step sends to must exist in the settings, or the step silently reaches nobody. */
export function unknownTierIssues(
  steps: readonly { index: number; step: Pick<Step, 'channels'> }[],
  tierIds: readonly string[],
): CampaignIssue[] {
  const known = new Set(tierIds);
  const issues: CampaignIssue[] = [];
  for (const { index, step } of steps)
    for (const tier of Object.keys(step.channels))
      if (!known.has(tier))
        issues.push({
          path: ['steps', index, 'channels', tier],
          message: `tier ${tier} is not defined in the settings (tiers: ${[...known].join(', ')})`,
        });
  return issues;
}

const key = (i: CampaignIssue) => `${i.path.join('.')}\u0000${i.message}`;

/**
 * Every problem of a campaign document at once. `tierIds` are the settings' tiers; without them
 * the tier check is skipped (a caller that has no settings to hand).
 */
export function validateCampaign(doc: unknown, tierIds?: readonly string[]): CampaignValidation {
  const parsed = campaignSchema.safeParse(doc);
  if (parsed.success) {
    const campaign = parsed.data;
    const issues = [
      ...checkCampaign(campaign),
      ...(tierIds
        ? unknownTierIssues(
            campaign.steps.map((step, index) => ({ index, step })),
            tierIds,
          )
        : []),
    ];
    return issues.length === 0 ? { ok: true, campaign } : { ok: false, issues };
  }
  const issues: CampaignIssue[] = parsed.error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message,
  }));
  const seen = new Set(issues.map(key));
  for (const issue of partsIssues(doc, tierIds)) {
    if (seen.has(key(issue))) continue;
    seen.add(key(issue));
    issues.push(issue);
  }
  return { ok: false, issues };
}
