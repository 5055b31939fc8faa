// What comes back during the demo month, played on the same paths the cloud uses: two customers at
// SES mailbox-simulator addresses (a permanent bounce, a complaint) whose events reach the ledger and
// the suppression list through the template's default-bus rule; one customer clicking the one-click
// unsubscribe link of an email she received (POST to the link, as a mailbox provider does); and one
// replying STOP by SMS (the two-way handler). Each shows when it happens and what it changed.
import { join } from 'node:path';
import { createApp } from '../../shared/api/app.js';
import type { Delivery } from '../../shared/domain/touch.js';
import { importFile } from '../../shared/import/import-file.js';
import { localApiDeps } from '../api-server.js';
import { pageReplyHandler } from '../inbound-sms.js';
import { type Embedded, LOCAL_SMS_ORIGINATOR, PROJECT_ROOT } from '../runtime.js';
import { readOutbox } from '../stack/outbox.js';

export const RETURN_PATH_CUSTOMERS = join(PROJECT_ROOT, 'local', 'cli', 'demo-data', 'return-path.ndjson');

/** Who does what: simulator addresses bounce and complain by themselves; these two act. */
const UNSUBSCRIBER = { customerId: 'c-1002', email: 'maria.garcia@example.com' };
const STOP_REPLY = { customerId: 'c-1005', phone: '+64211234567', after: '2026-12-01' };
const SIMULATED = ['c-2001', 'c-2002'];

export async function loadReturnPathCustomers(env: Embedded): Promise<void> {
  const result = await importFile({ path: RETURN_PATH_CUSTOMERS, kind: 'customers', store: env.deps.store });
  if (!result.ok)
    throw new Error(`demo return-path customers did not import: ${JSON.stringify(result.errors)}`);
}

const header = (headers: Record<string, string> | undefined, name: string): string | undefined =>
  Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];

export class DemoReturnPath {
  private readonly api: ReturnType<typeof createApp>;
  private clicked = false;
  private replied = false;
  private readonly reported = new Set<string>();

  constructor(private readonly env: Embedded) {
    this.api = createApp(localApiDeps(env));
  }

  /** After a day's run: what came back from it, and the scripted acts due by then. Lines to print. */
  async afterRun(date: string): Promise<string[]> {
    await this.env.feedback?.settled();
    const lines: string[] = [];
    for (const customerId of SIMULATED) {
      for (const d of await this.env.deps.store.ledger.listDeliveries({ customerId })) {
        const key = `${d.campaignId}/${d.stepId}/${customerId}/${d.occasion}`;
        if ((d.delivery === 'bounced' || d.delivery === 'complained') && !this.reported.has(key)) {
          this.reported.add(key);
          lines.push(`  ${customerId} ${d.address ?? ''}: ${feedbackEffect(d)}`);
        }
      }
    }
    if (!this.clicked) {
      const mail = readOutbox(this.env.dataDir, 'email').find(
        (m) => m.to === UNSUBSCRIBER.email && header(m.headers, 'list-unsubscribe') !== undefined,
      );
      const link = /<(https?:[^>]+)>/.exec(header(mail?.headers, 'list-unsubscribe') ?? '')?.[1];
      if (mail && link) {
        const url = new URL(link);
        const res = await this.api.request(`${url.pathname}${url.search}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
        });
        this.clicked = true;
        lines.push(
          `  ${UNSUBSCRIBER.customerId} pressed "Unsubscribe" on "${mail.subject ?? ''}" (one-click POST → ${res.status}): later touches of that campaign are no-consent`,
        );
      }
    }
    if (!this.replied && date >= STOP_REPLY.after) {
      this.replied = true;
      const answer = await pageReplyHandler(this.env.deps, LOCAL_SMS_ORIGINATOR)(STOP_REPLY.phone, 'STOP');
      await this.env.feedback?.settled();
      lines.push(
        `  ${STOP_REPLY.customerId} replied STOP by SMS → opted out of SMS (${answer.replace(/\.$/, '')})`,
      );
    }
    return lines;
  }

  /** The month's return path in numbers, from the ledger, the suppression list and consent history. */
  async summary(customerIds: readonly string[]): Promise<string> {
    const states = new Map<string, number>();
    let optOuts = 0;
    for (const customerId of customerIds) {
      for (const d of await this.env.deps.store.ledger.listDeliveries({ customerId }))
        if (d.delivery) states.set(d.delivery, (states.get(d.delivery) ?? 0) + 1);
      const view = await this.env.deps.store.consent.consentHistory(customerId);
      optOuts += view.filter((h) => !h.value).length;
    }
    const suppressed = (await this.env.deps.store.suppression.listSuppressions()).length;
    const byState = [...states].map(([s, n]) => `${s} ${n}`).join(', ');
    return `What came back: ${byState || 'nothing'}; ${optOuts} opt-outs recorded; ${suppressed} addresses on the suppression list.`;
  }
}

function feedbackEffect(d: Delivery): string {
  return d.delivery === 'bounced'
    ? 'bounced permanently → on the suppression list (bounced)'
    : 'complained → on the suppression list (complained), opted out of email';
}
