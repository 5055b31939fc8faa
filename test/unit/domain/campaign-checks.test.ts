import { describe, expect, it } from 'vitest';
import { checkCampaign } from '../../../shared/domain/campaign-checks.js';
import type { Campaign } from '../../../shared/domain/documents.js';
import { loadExamples } from './example-data.js';
import { campaign } from './fixtures.js';

const withTemplates = (templates: Campaign['templates'], over: Record<string, unknown> = {}): Campaign =>
  campaign({ templates, ...over });

describe('checkCampaign', () => {
  it.each(loadExamples().campaigns.map((c) => [c.id, c] as const))(
    'passes the example campaign %s',
    (_id, c) => {
      expect(checkCampaign(c)).toEqual([]);
    },
  );

  it('reports a template that does not parse, or uses an unknown filter', () => {
    const issues = checkCampaign(
      withTemplates({
        t: {
          email: { 'en-US': { subject: '{% if customer.name %}', text: '{{ customer.name | shout }}' } },
          sms: { 'en-US': { text: 'ok' } },
        },
      }),
    );
    expect(issues.map((i) => i.path)).toEqual([
      ['templates', 't', 'email', 'en-US', 'subject'],
      ['templates', 't', 'email', 'en-US', 'text'],
    ]);
    expect(issues[0]?.message).toMatch(/does not parse.*not closed/);
    expect(issues[1]?.message).toMatch(/does not parse.*undefined filter: shout/);
  });

  it('allows the known variables, attributes.* and event.data.*, and locals the template defines', () => {
    const text =
      '{{ customer.id }}{{ customer.name }}{{ customer.email }}{{ customer.phone }}{{ customer.locale }}' +
      '{{ customer.timeZone }}{{ customer.birthday }}{{ customer.monthlyValue }}{{ customer.tier }}' +
      '{{ customer.attributes.city }}{{ customer.attributes["any key"] }}{{ campaign.id }}{{ campaign.name }}' +
      '{{ step.id }}{{ step.offsetDays }}{{ occasion }}{{ unsubscribeUrl }}{{ customer.name.size }}' +
      '{% assign n = customer.name | upcase %}{{ n }}{% for x in event.data.items %}{{ x }}{% endfor %}' +
      '{{ event.id }}{{ event.type }}{{ event.occurredAt }}{{ event.data.ticket }}';
    const c = withTemplates(
      { t: { email: { 'en-US': { subject: 's', text } }, sms: { 'en-US': { text: 'ok' } } } },
      { anchor: { type: 'event', eventType: 'complaint.resolved' } },
    );
    expect(checkCampaign(c)).toEqual([]);
  });

  it('reports unknown variables and contract/event variables outside their anchors', () => {
    const c = withTemplates({
      t: {
        email: {
          'en-US': {
            subject: '{{ customer.nmae }}',
            text: '{{ contract.endDate }} {{ event.data.x }} {{ customer.consent.sms }} {{ customer[field] }}',
          },
        },
        sms: { 'en-US': { text: 'ok' } },
      },
    });
    const messages = checkCampaign(c).map((i) => `${i.path.at(-1)}: ${i.message}`);
    expect(messages).toEqual([
      'subject: uses an unknown variable customer.nmae',
      'text: uses contract, which only campaigns anchored on contractEnd or contractStart have (this one: lastActivity)',
      'text: uses event, which only campaigns anchored on an event have (this one: lastActivity)',
      'text: uses an unknown variable customer.consent.sms',
      'text: looks up customer[field] by a computed name; name the field',
      'text: uses an unknown variable field',
    ]);
  });

  it('allows contract.* for contract anchors only, and only the contract fields', () => {
    const t = {
      t: {
        email: { 'en-US': { subject: '{{ contract.product }}', text: '{{ contract.price }}' } },
        sms: { 'en-US': { text: 'ok' } },
      },
    };
    expect(checkCampaign(withTemplates(t, { anchor: { type: 'contractStart' } }))).toEqual([
      {
        path: ['templates', 't', 'email', 'en-US', 'text'],
        message: 'uses an unknown variable contract.price',
      },
    ]);
  });

  it('refuses an SMS template that a 100-character name would push past 10 segments, though the sample name fits', () => {
    // The longest name the schema accepts, outside GSM-7: UCS-2, 200 units for the name alone. 466
    // characters of text and the name make 667 units in 10 parts of 67; one more tips it into the 11th.
    const sms = (n: number) =>
      withTemplates({
        t: {
          email: { 'en-US': { subject: 's', text: 't' } },
          sms: { 'en-US': { text: `${'x'.repeat(n)} {{ customer.name }}` } },
        },
      });
    expect(checkCampaign(sms(467))).toEqual([
      {
        path: ['templates', 't', 'sms', 'en-US', 'text'],
        message:
          'renders to 11 SMS segments (668 UCS-2 units with sample data and a 100-character name); at most 10',
      },
    ]);
    expect(checkCampaign(sms(466))).toEqual([]);
    // Before, the count used the 20-character sample name in GSM-7 and passed 1,500 characters of
    // text (10 parts), which a real customer with a long or non-Latin name could never receive.
    expect(checkCampaign(sms(1500))).toHaveLength(1);
  });

  it('requires a 【signature】 on Chinese SMS', () => {
    const c = withTemplates({
      t: {
        email: { 'en-US': { subject: 's', text: 't' }, 'zh-CN': { subject: '您好', text: '您好' } },
        sms: {
          'en-US': { text: 'ok' },
          'zh-CN': { text: '{{ customer.name }}您好' },
          'zh-TW': { text: '【Touchpoint】您好' },
          'zh-HK': { text: '[Touchpoint] 您好' },
        },
      },
    });
    expect(checkCampaign(c).map((i) => i.path)).toEqual([
      ['templates', 't', 'sms', 'zh-CN', 'text'],
      ['templates', 't', 'sms', 'zh-HK', 'text'],
    ]);
  });

  it('reports a step channel without a template in the fallback locale', () => {
    const c = campaign();
    c.templates.t = { email: { 'fr-FR': { subject: 's', text: 't' } } };
    expect(checkCampaign(c).map((i) => [i.path, i.message])).toEqual([
      [['steps', 0, 'channels', 'key'], 'template t has no email version in the fallback locale en-US'],
      [['steps', 0, 'channels', 'key'], 'template t has no sms version in the fallback locale en-US'],
      [['steps', 0, 'channels', 'business'], 'template t has no email version in the fallback locale en-US'],
      [['steps', 0, 'channels', 'standard'], 'template t has no email version in the fallback locale en-US'],
    ]);
  });
});
