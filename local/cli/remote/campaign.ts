// campaign validate|apply|list|pause|resume with --api: the /v1/campaigns routes, printed like the
// embedded commands (apply creates version 1, or on 409 PUTs a new version of the existing campaign).
import { z } from 'zod';
import type { CommandContext } from '../context.js';
import { RefusedError } from '../errors.js';
import { showCampaigns } from '../present.js';
import { ApiProblem, withApi } from './client.js';

const record = z.object({
  campaign: z.looseObject({
    id: z.string(),
    name: z.string(),
    priority: z.number(),
    anchor: z.looseObject({ type: z.string() }),
    steps: z.array(z.unknown()),
  }),
  version: z.number().int(),
  paused: z.boolean(),
  updatedAt: z.string(),
});

/** A refused document (schema 400, checks 422) reads like `campaign validate` refusing it. */
function refusedCampaign(file: string, e: unknown): unknown {
  if (e instanceof ApiProblem && (e.status === 400 || e.status === 422) && e.errors.length > 0)
    return new RefusedError(`${file}: the campaign is invalid`, e.errors);
  return e;
}

export async function remoteCampaignValidate(ctx: CommandContext, file: string, doc: unknown): Promise<void> {
  await withApi(ctx, async (api) => {
    let body: unknown;
    try {
      ({ body } = await api.call('POST', '/v1/campaigns/validate', { body: { json: doc } }));
    } catch (e) {
      throw refusedCampaign(file, e);
    }
    const { id } = z.object({ valid: z.literal(true), id: z.string() }).parse(body);
    // The API said valid, so the document has its steps.
    const steps = z.object({ steps: z.array(z.unknown()) }).parse(doc).steps.length;
    ctx.out.data({ ok: true, valid: true, id });
    ctx.out.text(`${file}: campaign ${id} is valid (${steps} steps)`);
  });
}

export async function remoteCampaignApply(ctx: CommandContext, file: string, doc: unknown): Promise<void> {
  await withApi(ctx, async (api) => {
    let body: unknown;
    try {
      ({ body } = await api.call('POST', '/v1/campaigns', { body: { json: doc } }));
    } catch (e) {
      if (!(e instanceof ApiProblem) || e.status !== 409) throw refusedCampaign(file, e);
      // It exists: store a new version. A 409 means the body parsed, so it has its id.
      const { id } = z.object({ id: z.string() }).parse(doc);
      try {
        ({ body } = await api.call('PUT', `/v1/campaigns/${encodeURIComponent(id)}`, {
          body: { json: doc },
        }));
      } catch (e2) {
        throw refusedCampaign(file, e2);
      }
    }
    const r = record.parse(body);
    ctx.out.data({ ok: true, id: r.campaign.id, version: r.version, paused: r.paused });
    ctx.out.text(`campaign ${r.campaign.id} applied as version ${r.version}${r.paused ? ' (paused)' : ''}`);
  });
}

export async function remoteCampaignList(ctx: CommandContext): Promise<void> {
  await withApi(ctx, async (api) => {
    const { campaigns } = z
      .object({ campaigns: z.array(record) })
      .parse((await api.call('GET', '/v1/campaigns')).body);
    showCampaigns(ctx.out, campaigns);
  });
}

export async function remoteCampaignPause(ctx: CommandContext, id: string, pause: boolean): Promise<void> {
  await withApi(ctx, async (api) => {
    try {
      await api.call('POST', `/v1/campaigns/${encodeURIComponent(id)}/${pause ? 'pause' : 'resume'}`);
    } catch (e) {
      if (e instanceof ApiProblem && e.status === 404)
        throw new RefusedError(`no campaign with id ${id}`, [{ path: 'id', message: 'unknown campaign' }]);
      throw e;
    }
    ctx.out.data({ ok: true, id, paused: pause });
    ctx.out.text(`campaign ${id} ${pause ? 'paused' : 'resumed'}`);
  });
}
