// campaign apply|validate FILE, campaign list, campaign pause|resume ID: clients of /v1/campaigns.
// apply creates version 1, or on 409 PUTs a new version of the existing campaign.
import { z } from 'zod';
import { campaignRecordSchema, validCampaignSchema } from '../../../shared/usecases/campaigns/schemas.js';
import type { CommandContext } from '../context.js';
import { RefusedError, UsageError } from '../errors.js';
import { showCampaigns } from '../present.js';
import { ApiProblem, withApi } from '../remote/client.js';
import { readJsonFile } from './documents.js';

const USAGE =
  'touchpoint campaign apply|validate FILE | campaign list | campaign pause|resume ID | campaign test-send ID --step ID --channel email|sms --to ADDRESS [--customer ID]';
const TEST_SEND_USAGE =
  'touchpoint campaign test-send ID --step ID --channel email|sms --to ADDRESS [--customer ID]';

const testSentSchema = z.object({ sent: z.literal(true), to: z.string(), providerMessageId: z.string() });

/**
 * One rendered step message to ADDRESS only (POST /v1/campaigns/{id}/test-send). The API refuses
 * an address on the suppression list (422, with why): the refusal exits 1 and nothing is sent.
 */
async function testSend(ctx: CommandContext, id: string): Promise<void> {
  const { step, channel, to, customer } = ctx.options;
  if (!step || !to) throw new UsageError(`usage: ${TEST_SEND_USAGE}`);
  if (channel !== 'email' && channel !== 'sms') throw new UsageError('--channel must be email or sms');
  await withApi(ctx, async (api) => {
    const path = `/v1/campaigns/${encodeURIComponent(id)}/test-send`;
    const json = { stepId: step, channel, address: to, ...(customer && { customerId: customer }) };
    const sent = testSentSchema.parse((await api.call('POST', path, { body: { json } })).body);
    ctx.out.data({ ok: true, ...sent });
    ctx.out.text(`test message for ${id}/${step} sent to ${sent.to} (${sent.providerMessageId})`);
  });
}

/** A refused document (schema 400, checks 422) reads the same whichever the API found. */
function refusedCampaign(file: string, e: unknown): unknown {
  if (e instanceof ApiProblem && (e.status === 400 || e.status === 422) && e.errors.length > 0)
    return new RefusedError(`${file}: the campaign is invalid`, e.errors);
  return e;
}

async function validate(ctx: CommandContext, file: string): Promise<void> {
  const doc = readJsonFile(file);
  await withApi(ctx, async (api) => {
    let body: unknown;
    try {
      ({ body } = await api.call('POST', '/v1/campaigns/validate', { body: { json: doc } }));
    } catch (e) {
      throw refusedCampaign(file, e);
    }
    const { id, steps } = validCampaignSchema.parse(body);
    ctx.out.data({ ok: true, valid: true, id });
    ctx.out.text(`${file}: campaign ${id} is valid (${steps} steps)`);
  });
}

async function apply(ctx: CommandContext, file: string): Promise<void> {
  const doc = readJsonFile(file);
  await withApi(ctx, async (api) => {
    let body: unknown;
    try {
      ({ body } = await api.call('POST', '/v1/campaigns', { body: { json: doc } }));
    } catch (e) {
      if (!(e instanceof ApiProblem) || e.status !== 409) throw refusedCampaign(file, e);
      // It exists: store a new version. A 409 means the body was valid, so it has its id.
      const { id } = z.object({ id: z.string() }).parse(doc);
      try {
        ({ body } = await api.call('PUT', `/v1/campaigns/${encodeURIComponent(id)}`, {
          body: { json: doc },
        }));
      } catch (e2) {
        throw refusedCampaign(file, e2);
      }
    }
    const r = campaignRecordSchema.parse(body);
    ctx.out.data({ ok: true, id: r.campaign.id, version: r.version, paused: r.paused });
    ctx.out.text(`campaign ${r.campaign.id} applied as version ${r.version}${r.paused ? ' (paused)' : ''}`);
  });
}

async function list(ctx: CommandContext): Promise<void> {
  await withApi(ctx, async (api) => {
    const { campaigns } = z
      .object({ campaigns: z.array(campaignRecordSchema) })
      .parse((await api.call('GET', '/v1/campaigns')).body);
    showCampaigns(ctx.out, campaigns);
  });
}

async function pause(ctx: CommandContext, id: string, paused: boolean): Promise<void> {
  await withApi(ctx, async (api) => {
    try {
      await api.call('POST', `/v1/campaigns/${encodeURIComponent(id)}/${paused ? 'pause' : 'resume'}`);
    } catch (e) {
      if (e instanceof ApiProblem && e.status === 404)
        throw new RefusedError(`no campaign with id ${id}`, [{ path: 'id', message: 'unknown campaign' }]);
      throw e;
    }
    ctx.out.data({ ok: true, id, paused });
    ctx.out.text(`campaign ${id} ${paused ? 'paused' : 'resumed'}`);
  });
}

export async function campaignCommand(ctx: CommandContext): Promise<void> {
  const [sub, arg, ...extra] = ctx.args;
  if (extra.length > 0) throw new UsageError(`usage: ${USAGE}`);
  switch (sub) {
    case 'validate':
    case 'apply':
      if (!arg) throw new UsageError(`usage: touchpoint campaign ${sub} FILE`);
      return sub === 'validate' ? validate(ctx, arg) : apply(ctx, arg);
    case 'list':
      if (arg) throw new UsageError('usage: touchpoint campaign list');
      return list(ctx);
    case 'pause':
    case 'resume':
      if (!arg) throw new UsageError(`usage: touchpoint campaign ${sub} ID`);
      return pause(ctx, arg, sub === 'pause');
    case 'test-send':
      if (!arg) throw new UsageError(`usage: ${TEST_SEND_USAGE}`);
      return testSend(ctx, arg);
    default:
      throw new UsageError(`usage: ${USAGE}`);
  }
}
