// The providers' feedback, locally (docs/delivery-feedback.md): what SES and End User Messaging SMS
// report after a send, produced here in their own payload shapes and delivered the way the cloud
// delivers them — SES events onto the default bus, whose rules from the synthesized template hand
// them to their target; SMS events to the SMS configuration set's SNS topic, whose subscriptions
// from the template hand them to theirs. The same handler (functions/delivery-events.ts) gets both.
//
// What each address or number brings back: local/provider-simulators.ts.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { Deps } from '../functions/commons/deps.js';
import { PROJECT_ROOT } from '../infra/names.js';
import type { SesEventRecord, SmsEventRecord } from '../shared/domain/delivery-feedback.js';
import type { Channel } from '../shared/domain/documents.js';
import type {
  EmailSender,
  OutgoingEmail,
  OutgoingSms,
  SendResult,
  SmsSender,
} from '../shared/ports/channels.js';
import type { EventPublisher } from '../shared/ports/events.js';
import type { Ledger } from '../shared/ports/ledger.js';
import type { CfnTemplate } from './assembly-tables.js';
import { busRulesFromTemplate, type DispatchFailure, RuleBus } from './bus-rules.js';
import { LOCAL_ENV, TemplateShapeError } from './cfn-template.js';
import type { LocalBus } from './local-bus.js';
import { SES_DETAIL_TYPES, sesEngagement, sesRecords, smsRecords } from './provider-simulators.js';

export { EMAIL_ENGAGEMENT_FILE } from './provider-simulators.js';

const handlerModule = z.object({
  createHandler: z.custom<(deps: Deps) => (event: unknown) => Promise<unknown>>(
    (v) => typeof v === 'function',
    'must export createHandler(deps)',
  ),
});

const ref = z.object({ Ref: z.string() });
const getAttArn = z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.literal('Arn')]) });

/** The SMS configuration set's SNS topic and the function entries subscribed to it, from the template. */
export function smsEventSubscribers(template: CfnTemplate): {
  configurationSet: string;
  topic: string;
  entries: string[];
} {
  const sets = Object.entries(template.Resources).filter(
    ([, r]) => r.Type === 'AWS::SMSVOICE::ConfigurationSet',
  );
  const [[configurationSet, set] = []] = sets;
  if (!configurationSet || !set)
    throw new TemplateShapeError('the template has no AWS::SMSVOICE::ConfigurationSet');
  const destinations = z
    .object({
      EventDestinations: z.array(z.object({ SnsDestination: z.object({ TopicArn: ref }).optional() })),
    })
    .parse(set.Properties);
  const topic = destinations.EventDestinations.find((d) => d.SnsDestination)?.SnsDestination?.TopicArn.Ref;
  if (!topic) throw new TemplateShapeError(`${configurationSet} has no SNS event destination`);
  const entries: string[] = [];
  for (const r of Object.values(template.Resources)) {
    if (r.Type !== 'AWS::SNS::Subscription') continue;
    const sub = z
      .object({ Protocol: z.literal('lambda'), TopicArn: ref, Endpoint: getAttArn })
      .safeParse(r.Properties);
    if (!sub.success || sub.data.TopicArn.Ref !== topic) continue;
    const entry = template.Resources[sub.data.Endpoint['Fn::GetAtt'][0]]?.Metadata?.['touchpoint:entry'];
    if (typeof entry !== 'string')
      throw new TemplateShapeError(`the subscription to ${topic} has no function entry`);
    entries.push(entry);
  }
  return { configurationSet, topic, entries };
}

/** The SES configuration set the stack declares (events name it in `ses:configuration-set`). */
function sesConfigurationSet(template: CfnTemplate): string {
  const [id] =
    Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::SES::ConfigurationSet') ?? [];
  if (!id) throw new TemplateShapeError('the template has no AWS::SES::ConfigurationSet');
  return id;
}

export interface LocalFeedbackOptions {
  /** Where the bus rules' targets dead-letter (the data dir's bus-dlq.ndjson). */
  deadLetterFile?: string;
  backoffMs?: (retry: number) => number;
  onFailure?: (failure: DispatchFailure) => void;
  /** How long a simulated event waits for its send to settle (the lookup by message id). */
  settleWaitMs?: number;
}

/**
 * The providers' side of the local stack: wraps the local email and SMS senders so each message
 * sent brings back the events SES and End User Messaging would publish, and lets the mailbox page
 * report opens and clicks.
 */
export class LocalFeedback {
  private readonly bus: RuleBus;
  private readonly pending = new Set<Promise<void>>();
  private readonly sesSet: string;
  private readonly sms: ReturnType<typeof smsEventSubscribers>;
  private smsHandlers: Promise<((event: unknown) => Promise<unknown>)[]> | undefined;
  private readonly waiting = new Map<string, { publish: () => Promise<void>; timer: NodeJS.Timeout }>();

  constructor(
    template: CfnTemplate,
    private readonly deps: Deps,
    inner: LocalBus,
    private readonly opts: LocalFeedbackOptions = {},
  ) {
    this.bus = new RuleBus({
      inner,
      rules: busRulesFromTemplate(template).filter((r) => r.bus === 'default'),
      deps,
      ...(opts.deadLetterFile && { deadLetterFile: opts.deadLetterFile }),
      ...(opts.backoffMs && { backoffMs: opts.backoffMs }),
      ...(opts.onFailure && { onFailure: opts.onFailure }),
    });
    this.sesSet = sesConfigurationSet(template);
    this.sms = smsEventSubscribers(template);
  }

  /** The account's default bus, as SES publishes to it. */
  get defaultBus(): EventPublisher {
    return this.bus.defaultBus;
  }

  email(inner: EmailSender, from: string): EmailSender {
    return {
      send: async (message: OutgoingEmail): Promise<SendResult> => {
        const result = await inner.send(message);
        if (result.ok)
          this.afterSettle('email', result.providerMessageId, () =>
            this.publishSes(
              sesRecords(
                {
                  messageId: result.providerMessageId,
                  to: message.to,
                  from,
                  subject: message.subject,
                  tags: message.tags,
                  configurationSet: this.sesSet,
                },
                this.deps.clock.now(),
              ),
            ),
          );
        return result;
      },
    };
  }

  smsSender(inner: SmsSender, from: string): SmsSender {
    return {
      send: async (message: OutgoingSms): Promise<SendResult> => {
        const result = await inner.send(message);
        if (result.ok)
          this.afterSettle('sms', result.providerMessageId, () =>
            this.publishSms(
              smsRecords(
                {
                  messageId: result.providerMessageId,
                  to: message.to,
                  from,
                  messageType: message.messageType,
                  context: message.tags,
                },
                this.deps.clock.now(),
              ),
            ),
          );
        return result;
      },
    };
  }

  /** An open or a click of a message the ledger knows (the mailbox page's buttons). */
  async engage(
    messageId: string,
    kind: 'Open' | 'Click',
    link?: string,
    at: Date = this.deps.clock.now(),
  ): Promise<boolean> {
    const key = await this.deps.store.ledger.findByMessageId('email', messageId);
    const row = key && (await this.deps.store.ledger.getDelivery(key));
    if (!row?.address) return false;
    const mail = {
      messageId,
      to: row.address,
      from: '',
      subject: '',
      tags: {},
      configurationSet: this.sesSet,
    };
    // Stamped with the press itself, so a press read twice is the same event (one effect).
    await this.publishSes([sesEngagement(mail, kind, at, link)]);
    return true;
  }

  async publishSes(records: readonly SesEventRecord[]): Promise<void> {
    await this.bus.defaultBus.publish(
      records.map((r) => ({
        source: 'aws.ses',
        detailType: SES_DETAIL_TYPES[r.eventType],
        detail: { ...r },
      })),
    );
  }

  /** Each record to the topic's subscribers, as SNS invokes Lambda (asynchronously, retried twice). */
  async publishSms(records: readonly SmsEventRecord[]): Promise<void> {
    this.smsHandlers ??= Promise.all(
      this.sms.entries.map(async (entry) => {
        const mod: unknown = await import(pathToFileURL(join(PROJECT_ROOT, entry)).href);
        return handlerModule.parse(mod).createHandler(this.deps);
      }),
    );
    const handlers = await this.smsHandlers;
    for (const record of records) {
      const event = {
        Records: [
          {
            EventSource: 'aws:sns',
            EventVersion: '1.0',
            Sns: {
              Type: 'Notification',
              MessageId: randomUUID(),
              TopicArn: `arn:aws:sns:${LOCAL_ENV.region}:${LOCAL_ENV.account}:${this.sms.topic}`,
              Message: JSON.stringify(record),
              Timestamp: this.deps.clock.now().toISOString(),
            },
          },
        ],
      };
      for (const handle of handlers) await withRetries(() => handle(event), this.opts.backoffMs);
    }
  }

  /** Resolves when every simulated event under way has been handled (retries included). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    await this.bus.settled();
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch((err: unknown) => {
      this.opts.onFailure?.({
        rule: 'local-feedback',
        target: 'delivery-events',
        eventId: '-',
        error: err instanceof Error ? err.message : String(err),
        attempts: 1,
      });
    });
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }

  /**
   * SES and End User Messaging report seconds after the send, long after the run has settled it;
   * locally a message's events wait for that settle (`observeSettles`), so they find their row as in
   * the cloud. A message no ledger row settles in time (a campaign test send, a store other than
   * this stack's) brings no events back: nothing polls, the entry just lapses.
   */
  private afterSettle(channel: Channel, messageId: string, publish: () => Promise<void>): void {
    const key = `${channel}#${messageId}`;
    const timer = setTimeout(() => this.waiting.delete(key), this.opts.settleWaitMs ?? 60_000);
    timer.unref();
    this.waiting.set(key, { publish, timer });
  }

  /** Has this stack's ledger tell the feedback when a send settles with its provider message id. */
  observeSettles(ledger: Ledger): void {
    const settle = ledger.settle.bind(ledger);
    ledger.settle = async (key, outcome, now) => {
      await settle(key, outcome, now);
      if (outcome.providerMessageId === undefined) return;
      const id = `${key.channel}#${outcome.providerMessageId}`;
      const waiting = this.waiting.get(id);
      if (!waiting) return;
      clearTimeout(waiting.timer);
      this.waiting.delete(id);
      this.track(waiting.publish());
    };
  }

  /**
   * Follows the mailbox page's opens and clicks (`email-engagement.ndjson` in the data dir, which the
   * local SES server appends to): each new line becomes the SES Open or Click event of its message.
   * Lines written before this call are history, not replayed.
   */
  watchEngagement(file: string, everyMs = 250): void {
    let offset = existsSync(file) ? statSync(file).size : 0;
    let busy = false;
    const line = z.object({
      messageId: z.string().max(256),
      kind: z.enum(['Open', 'Click']),
      link: z.string().max(2048).optional(),
      at: z.iso.datetime({ offset: true }),
    });
    this.watcher = setInterval(() => {
      if (busy || !existsSync(file)) return;
      const size = statSync(file).size;
      if (size <= offset) return;
      busy = true;
      const text = readFileSync(file).subarray(offset, size).toString('utf8');
      // Only whole lines: a line being appended is read on the next tick.
      const complete = text.slice(0, text.lastIndexOf('\n') + 1);
      offset += Buffer.byteLength(complete);
      const presses = complete.split('\n').flatMap((l) => {
        try {
          const parsed = line.safeParse(JSON.parse(l));
          return parsed.success ? [parsed.data] : [];
        } catch {
          return [];
        }
      });
      const done = (async () => {
        for (const p of presses) await this.engage(p.messageId, p.kind, p.link, new Date(p.at));
      })();
      this.track(done.finally(() => (busy = false)));
    }, everyMs);
    this.watcher.unref();
  }

  private watcher: NodeJS.Timeout | undefined;

  /** On stop: messages still waiting for a settle are not reported. */
  async close(): Promise<void> {
    if (this.watcher) clearInterval(this.watcher);
    for (const w of this.waiting.values()) clearTimeout(w.timer);
    this.waiting.clear();
    await this.settled();
  }
}

async function withRetries(
  run: () => Promise<unknown>,
  backoffMs = (n: number) => 1000 * 2 ** n,
): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await run();
      return;
    } catch (err) {
      if (attempt >= 2) throw err;
      await new Promise<void>((resolve) => setTimeout(resolve, backoffMs(attempt)).unref());
    }
  }
}
