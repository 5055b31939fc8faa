// `touchpoint bus dlq [--json]`: the events the local bus gave up on after a target's retries (the
// template's RetryPolicy), as RuleBus appended them to <data dir>/bus-dlq.ndjson, oldest first.
// In the cloud they are in the rule's dead-letter queue (InboundTargetDlq). Reads the file only.
import { join } from 'node:path';
import { DLQ_FILE, listDeadLetters } from '../../bus-rules.js';
import { type Command, requireArgs } from '../context.js';
import { UsageError } from '../errors.js';

const USAGE = 'touchpoint bus dlq [--json]';

export const busCommand: Command = async (ctx) => {
  const [sub] = requireArgs(ctx, ['dlq'], USAGE);
  if (sub !== 'dlq') throw new UsageError(`usage: ${USAGE}`);
  const records = listDeadLetters(join(ctx.dataDir, DLQ_FILE));
  if (ctx.out.json) {
    for (const r of records) process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  for (const r of records) {
    ctx.out.text(
      `${r.deadLetteredAt} ${r.rule} → ${r.target} ${r.event.source}/${r.event['detail-type']} ${r.event.id} after ${r.attempts} attempts: ${r.error}`,
    );
  }
  if (records.length === 0) ctx.out.note('no dead-lettered bus events');
};
