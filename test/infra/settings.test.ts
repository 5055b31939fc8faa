import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { InvalidSettingsError, settingsFromContext } from '../../infra/settings.js';

const settings = (context: Record<string, unknown>) => settingsFromContext(new App({ context }).node);

describe('settingsFromContext', () => {
  it('documents its defaults: daily 09:00 UTC, 4 batches in parallel, SMS off (1 message a second once on)', () => {
    expect(settings({})).toEqual({
      senderEmail: 'outreach@example.com',
      scheduleExpression: 'cron(0 9 * * ? *)',
      scheduleTimeZone: 'UTC',
      sendConcurrency: 4,
      smsMaxPerSecond: 1,
      lookbackDays: 2,
      envName: 'dev',
      sandbox: false,
    });
  });

  it('reads -c values, which arrive as strings', () => {
    expect(
      settings({ sendConcurrency: '12', lookbackDays: '0', scheduleTimeZone: 'Asia/Kolkata' }),
    ).toMatchObject({
      sendConcurrency: 12,
      lookbackDays: 0,
      scheduleTimeZone: 'Asia/Kolkata',
    });
  });

  it('refuses bad values with every reason', () => {
    const bad = () =>
      settings({
        scheduleTimeZone: 'Mars/Olympus',
        scheduleExpression: 'cron(0 9 * * *)',
        sendConcurrency: '0',
        smsOriginationIdentity: '+15551234567',
      });
    expect(bad).toThrow(InvalidSettingsError);
    try {
      bad();
    } catch (e) {
      expect(e instanceof InvalidSettingsError ? e.issues.map((i) => i.split(':')[0]) : []).toEqual([
        'smsOriginationIdentity',
        'scheduleExpression',
        'scheduleTimeZone',
        'sendConcurrency',
      ]);
    }
  });
});
