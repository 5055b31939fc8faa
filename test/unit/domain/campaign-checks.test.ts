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

  it('reports an SMS over 10 segments with sample values', () => {
    // 9 × 153 = 1,377 septets of text plus the rendered sample name tips it into the 11th part.
    const long = `${'x'.repeat(1520)} {{ customer.name }}`;
    const issues = checkCampaign(
      withTemplates({
        t: { email: { 'en-US': { subject: 's', text: 't' } }, sms: { 'en-US': { text: long } } },
      }),
    );
    expect(issues).toEqual([
      {
        path: ['templates', 't', 'sms', 'en-US', 'text'],
        message: expect.stringMatching(/^renders to 11 SMS segments \(1541 GSM-7 units/),
      },
    ]);
    const fits = `${'x'.repeat(1500)} {{ customer.name }}`;
    expect(
      checkCampaign(
        withTemplates({
          t: { email: { 'en-US': { subject: 's', text: 't' } }, sms: { 'en-US': { text: fits } } },
        }),
      ),
    ).toEqual([]);
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
