// touchpoint sms reply FROM TEXT: a message from FROM to our number, handled exactly as the cloud's
// inbound path handles one (POST /v1/sms/replies → the same use case as functions/inbound-sms.ts).
import { inboundOutcomeSchema } from '../../../shared/usecases/sms/schemas.js';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { withApi } from '../remote/client.js';

const USAGE = 'touchpoint sms reply FROM TEXT   (FROM an E.164 number such as +14155550123; quote TEXT)';

export async function smsCommand(ctx: CommandContext): Promise<void> {
  const [sub, from, ...words] = ctx.args;
  if (sub !== 'reply' || !from || words.length === 0) throw new UsageError(`usage: ${USAGE}`);
  // Unquoted words are joined as the shell split them: `sms reply +1… STOP` and `… "renew please"`.
  const text = words.join(' ');
  const outcome = await withApi(ctx, async (api) =>
    inboundOutcomeSchema.parse(
      (await api.call('POST', '/v1/sms/replies', { body: { json: { from, text } } })).body,
    ),
  );
  ctx.out.data({ ok: true, ...outcome });
  switch (outcome.outcome) {
    case 'unknown-number':
      ctx.out.text(`no customer has ${from}: recorded, not answered`);
      return;
    case 'reply':
      ctx.out.text(
        `recorded sms.reply (keyword ${outcome.keyword}) for ${outcome.customerIds.join(', ')}` +
          (outcome.events.every((e) => e.duplicate) ? ' (already recorded)' : ''),
      );
      return;
    default: {
      const changes = Object.entries(outcome.consent).map(([id, result]) => `${id} ${result}`);
      const what = {
        'opt-out': 'opted out of SMS',
        'opt-in': 'opted back in to SMS',
        help: 'asked for help',
      }[outcome.outcome];
      ctx.out.text(
        `${outcome.keyword} from ${from}: ${outcome.customerIds.join(', ')} ${what}` +
          (changes.length > 0 ? ` (${changes.join(', ')})` : '') +
          (outcome.replied
            ? '; answered (see touchpoint outbox --channel sms)'
            : `; not answered${outcome.replyError ? `: ${outcome.replyError}` : ''}`),
      );
    }
  }
}
