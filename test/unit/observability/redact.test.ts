import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createLog, installLogSink, type LogRecord } from '../../../shared/observability/log.js';
import { MASK, maskText, redact } from '../../../shared/observability/redact.js';

describe('redact', () => {
  it('masks any email address inside any text', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.string(), fc.string(), (email, before, after) => {
        expect(maskText(`${before} ${email} ${after}`)).not.toContain(email);
      }),
    );
  });

  it('masks E.164 and national phone spellings, keeps dates, ids and counts', () => {
    expect(maskText('to +8613800138000 and +1 415 555 0100 or (415) 555-0100')).toBe(
      `to ${MASK} and ${MASK} or ${MASK}`,
    );
    const kept = 'run 01JD3XQ7Z8M9N0P1Q2R3S4T5V6 on 2026-12-01T09:00:00.000Z+01:00 sent 12345';
    expect(maskText(kept)).toBe(kept);
  });

  it('replaces values under personal keys at any depth, keeps ids', () => {
    const out = redact({
      customerId: 'c-1',
      customer: { name: 'Wang Fang', email: 'wf@example.cn', phone: '+8613800138000', locale: 'zh-CN' },
      touches: [{ to: 'a@b.co', campaignId: 'renewal' }],
      error: new Error('SES refused li.lei@example.com'),
    });
    expect(JSON.stringify(out)).not.toMatch(/Wang Fang|wf@example|8613800138000|a@b\.co|li\.lei/);
    expect(out).toMatchObject({
      customerId: 'c-1',
      customer: { locale: 'zh-CN' },
      touches: [{ campaignId: 'renewal' }],
    });
  });
});

describe('createLog with a sink', () => {
  const records: LogRecord[] = [];
  const uninstall = installLogSink((r) => records.push(r));
  afterEach(() => {
    records.length = 0;
  });

  it('writes level, message, timestamp, service and correlation ids, masked', () => {
    createLog('touchpoint-send-batch')
      .with({ runId: 'r-1', batchId: 'b-1' })
      .info('sent to ada@example.org', { campaignId: 'renewal', customer: { name: 'Ada' } });
    expect(records).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: `sent to ${MASK}`,
        service: 'touchpoint-send-batch',
        runId: 'r-1',
        batchId: 'b-1',
        campaignId: 'renewal',
        customer: { name: MASK },
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    ]);
    uninstall();
  });
});
