// The local bus's dead-letter file: events a rule's target gave up on after the template's retries
// (RuleBus, local/bus-rules.ts), one JSON line each in <data dir>/bus-dlq.ndjson (0600), oldest
// first. `touchpoint bus dlq` lists it; in the cloud they are in the SQS dead-letter queues.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

/** A dead-lettered event, as the local DLQ file keeps it (one JSON line each). */
export const deadLetterRecord = z.object({
  deadLetteredAt: z.string(),
  rule: z.string(),
  target: z.string(),
  deadLetterArn: z.string().optional(),
  attempts: z.number(),
  error: z.string(),
  event: z.object({ id: z.string(), source: z.string(), 'detail-type': z.string() }).passthrough(),
  /** The event's detail, at the top, so the GDPR erase finds `detail.customerId` as in the bus log. */
  detail: z.unknown(),
});
export type DeadLetterRecord = z.infer<typeof deadLetterRecord>;

export const DLQ_FILE = 'bus-dlq.ndjson';

/** The local dead-letter file's records, oldest first; a line that is not a record is skipped. */
export function listDeadLetters(file: string): DeadLetterRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      if (line.trim() === '') return [];
      try {
        const parsed = deadLetterRecord.safeParse(JSON.parse(line));
        return parsed.success ? [parsed.data] : [];
      } catch {
        return [];
      }
    });
}
