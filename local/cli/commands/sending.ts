// touchpoint sending status|resume CHANNEL: the sender reputation guard (docs/send-time-checks.md),
// a client of GET /v1/sending/{channel} and POST /v1/sending/{channel}/resume.
import {
  guardedChannel,
  type SendingStatus,
  sendingResumedSchema,
  sendingStatusSchema,
} from '../../../shared/usecases/reputation/schemas.js';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { withApi } from '../remote/client.js';

const USAGE = 'touchpoint sending status [email|sms] | touchpoint sending resume email|sms';

const percent = (rate: number | null): string => (rate === null ? '–' : `${(rate * 100).toFixed(2)} %`);

function describe(s: SendingStatus): string {
  const w = s.window;
  const rates = `last ${w.hours} h: ${w.sent} sent, ${w.bounced} bounced (${percent(w.bounceRate)}), ${w.complained} complained (${percent(w.complaintRate)}); limits ${percent(s.limits.maxBounceRate)} / ${percent(s.limits.maxComplaintRate)} from ${s.limits.minSends} sends`;
  const state = s.paused
    ? `${s.channel}: PAUSED since ${s.pausedAt ?? '?'}: ${s.reason ?? ''}\n  touches are recorded suppressed (sending-paused), not sent; resume with: touchpoint sending resume ${s.channel}`
    : `${s.channel}: sending`;
  return `${state}\n  ${rates}`;
}

export async function sendingCommand(ctx: CommandContext): Promise<void> {
  const [sub, rawChannel, ...extra] = ctx.args;
  if (extra.length > 0 || (sub !== 'status' && sub !== 'resume')) throw new UsageError(`usage: ${USAGE}`);
  if (sub === 'resume' && rawChannel === undefined) throw new UsageError(`usage: ${USAGE}`);
  const parsed = rawChannel === undefined ? undefined : guardedChannel.safeParse(rawChannel);
  if (parsed && !parsed.success) throw new UsageError(`the channel must be email or sms (${USAGE})`);
  const channels = parsed ? [parsed.data] : guardedChannel.options;
  await withApi(ctx, async (api) => {
    if (sub === 'resume') {
      const channel = channels[0] ?? 'email';
      const { resumed, status } = sendingResumedSchema.parse(
        (await api.call('POST', `/v1/sending/${channel}/resume`)).body,
      );
      ctx.out.data({ ok: true, resumed, status });
      ctx.out.text(`${resumed ? `resumed ${channel}` : `${channel} was not paused`}\n${describe(status)}`);
      return;
    }
    const statuses: SendingStatus[] = [];
    for (const channel of channels)
      statuses.push(sendingStatusSchema.parse((await api.call('GET', `/v1/sending/${channel}`)).body));
    ctx.out.data({ channels: statuses });
    ctx.out.text(statuses.map(describe).join('\n'));
  });
}
