// campaign validate refuses a campaign email template that does not show its unsubscribe link.
import { describe, expect, it } from 'vitest';
import { validateCampaignDocument } from '../../../shared/usecases/campaigns/validate.js';
import { memoryStores } from '../../support/fakes/memory-stores.js';

const doc = (text: string, html?: string) => ({
  id: 'offers',
  name: 'Offers',
  priority: 1,
  anchor: { type: 'lastActivity' },
  steps: [{ id: 's1', offsetDays: 0, channels: { standard: ['email'] }, template: 't' }],
  sendWindow: { start: '09:00', end: '18:00' },
  fallbackLocale: 'en-US',
  templates: {
    t: {
      email: {
        'en-US': { subject: 'Hi', text, ...(html !== undefined && { html }) },
        'zh-CN': { subject: '您好', text: '您好\n退订：{{ unsubscribeUrl }}' },
      },
    },
  },
});

describe('campaign validate and the unsubscribe link', () => {
  it('refuses a campaign email template without {{ unsubscribeUrl }}, naming the template and locale', async () => {
    const store = memoryStores();
    const out = await validateCampaignDocument(store, doc('Hello {{ customer.name }}'), { compliance: true });
    expect(out).toEqual({
      ok: false,
      issues: [
        {
          path: ['templates', 't', 'email', 'en-US', 'text'],
          message: expect.stringContaining('{{ unsubscribeUrl }}'),
        },
      ],
    });
  });

  it('accepts the link in the text or the html, with any spacing', async () => {
    const store = memoryStores();
    for (const d of [doc('Bye: {{unsubscribeUrl}}'), doc('Hello', '<a href="{{ unsubscribeUrl }}">x</a>')])
      expect(await validateCampaignDocument(store, d, { compliance: true })).toMatchObject({ ok: true });
  });
});
