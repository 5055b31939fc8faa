// The providers' simulators, as payloads (docs/delivery-feedback.md): what SES's mailbox simulator
// and End User Messaging's destination simulator numbers report after a send, built in the
// providers' own event shapes. local/provider-feedback.ts delivers them. Pure: no I/O.
import type { SesEventRecord, SmsEventRecord } from '../shared/domain/delivery-feedback.js';
import { LOCAL_ENV } from './cfn-template.js';

/** The EventBridge detail-type SES gives each event type. */
export const SES_DETAIL_TYPES: Record<SesEventRecord['eventType'], string> = {
  Send: 'Email Sent',
  Delivery: 'Email Delivered',
  Bounce: 'Email Bounced',
  Complaint: 'Email Complaint Received',
  Reject: 'Email Rejected',
  'Rendering Failure': 'Email Rendering Failed',
  DeliveryDelay: 'Email Delivery Delayed',
  Open: 'Email Opened',
  Click: 'Email Clicked',
  Subscription: 'Email Subscribed',
};

/** Where the local SES server's opens-and-clicks page records each press (in the data dir). */
export const EMAIL_ENGAGEMENT_FILE = 'email-engagement.ndjson';

export const SES_SIMULATOR_DOMAIN = 'simulator.amazonses.com';

/** End User Messaging's destination simulator numbers (test-phone-numbers in its user guide). */
export const SMS_SIMULATOR_NUMBERS = {
  success: [
    '+14254147755',
    '+61455944038',
    '+43676800442031',
    '+32460213922',
    '+33755512501',
    '+85257048426',
  ],
  failure: [
    '+14254147167',
    '+61455944039',
    '+43676800442032',
    '+32460213923',
    '+33755512502',
    '+85257048854',
  ],
} as const;

/** What a mail to `to` brings back, in order, as SES's mailbox simulator answers it. */
export function sesOutcome(to: string): ('Send' | 'Delivery' | 'Bounce' | 'Complaint' | 'Suppressed')[] {
  const [local = '', domain = ''] = to.trim().toLowerCase().split('@');
  if (domain !== SES_SIMULATOR_DOMAIN) return ['Send', 'Delivery'];
  switch (local.split('+')[0]) {
    case 'bounce':
      return ['Send', 'Bounce'];
    case 'complaint':
      return ['Send', 'Delivery', 'Complaint'];
    case 'suppressionlist':
      return ['Send', 'Suppressed'];
    default:
      // success@ and ooto@ (whose auto-reply goes to the sender, with no event) are delivered.
      return ['Send', 'Delivery'];
  }
}

export interface SentMail {
  messageId: string;
  to: string;
  from: string;
  subject: string;
  tags: Record<string, string>;
  configurationSet: string;
}

const ms = (at: Date, plus: number) => new Date(at.getTime() + plus).toISOString();

/** The SES event records of one simulated message, stamped from `at` onwards. */
export function sesRecords(mail: SentMail, at: Date): SesEventRecord[] {
  const base = {
    timestamp: at.toISOString(),
    source: mail.from,
    sourceArn: `arn:aws:ses:${LOCAL_ENV.region}:${LOCAL_ENV.account}:identity/${mail.from.split('@')[1] ?? mail.from}`,
    sendingAccountId: LOCAL_ENV.account,
    messageId: mail.messageId,
    destination: [mail.to],
    headersTruncated: false,
    tags: {
      'ses:configuration-set': [mail.configurationSet],
      ...Object.fromEntries(Object.entries(mail.tags).map(([k, v]) => [k, [v]])),
    },
  };
  const feedbackId = (step: string) => `${mail.messageId}-${step.toLowerCase()}`;
  return sesOutcome(mail.to).map((step, i): SesEventRecord => {
    const t = ms(at, i * 1000);
    if (step === 'Send') return { eventType: 'Send', mail: base };
    if (step === 'Delivery')
      return { eventType: 'Delivery', mail: base, delivery: { timestamp: t, recipients: [mail.to] } };
    if (step === 'Complaint')
      return {
        eventType: 'Complaint',
        mail: base,
        complaint: {
          complainedRecipients: [{ emailAddress: mail.to }],
          timestamp: t,
          feedbackId: feedbackId(step),
          complaintFeedbackType: 'abuse',
        },
      };
    // A bounce, or an address on the account-level suppression list: SES reports it as a bounce.
    return {
      eventType: 'Bounce',
      mail: base,
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: step === 'Bounce' ? 'General' : 'OnAccountSuppressionList',
        bouncedRecipients: [{ emailAddress: mail.to }],
        timestamp: t,
        feedbackId: feedbackId(step),
      },
    };
  });
}

/** An open or a click, as SES reports one for a message already sent. */
export function sesEngagement(
  mail: SentMail,
  kind: 'Open' | 'Click',
  at: Date,
  link = 'http://127.0.0.1/',
): SesEventRecord {
  const [send] = sesRecords({ ...mail, to: `success@${SES_SIMULATOR_DOMAIN}` }, at);
  const base = {
    ...(send?.mail ?? { messageId: mail.messageId, timestamp: at.toISOString() }),
    destination: [mail.to],
  };
  return kind === 'Open'
    ? { eventType: 'Open', mail: base, open: { timestamp: at.toISOString() } }
    : { eventType: 'Click', mail: base, click: { timestamp: at.toISOString(), link } };
}

/** The SMS event records of one simulated message. */
export function smsRecords(
  sms: { messageId: string; to: string; from: string; messageType: string; context: Record<string, string> },
  at: Date,
): SmsEventRecord[] {
  const failed = (SMS_SIMULATOR_NUMBERS.failure as readonly string[]).includes(sms.to);
  const record = (
    eventType: string,
    messageStatus: string,
    description: string,
    plus: number,
  ): SmsEventRecord => ({
    eventType,
    eventVersion: '1.0',
    eventTimestamp: at.getTime() + plus,
    isFinal: eventType !== 'TEXT_SUCCESSFUL',
    originationPhoneNumber: sms.from,
    destinationPhoneNumber: sms.to,
    messageId: sms.messageId,
    messageStatus,
    messageStatusDescription: description,
    messageType: sms.messageType,
    context: sms.context,
  });
  return failed
    ? [record('TEXT_UNREACHABLE', 'UNREACHABLE', 'Phone is unreachable', 0)]
    : [
        record('TEXT_SUCCESSFUL', 'SUCCESSFUL', 'Message has been accepted by phone carrier', 0),
        record('TEXT_DELIVERED', 'DELIVERED', 'Message has been accepted by phone', 1000),
      ];
}
