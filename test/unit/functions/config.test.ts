// Each role's environment is parsed once by its schema; a bad or missing variable fails with its name.
import { describe, expect, it } from 'vitest';
import { ConfigError, FUNCTION_ROLES, parseEnv, requiredVariables } from '../../../shared/config/env.js';

const ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:touchpoint-abc';

describe('parseEnv', () => {
  it('reads a role with its defaults', () => {
    expect(parseEnv('select-run', { TABLE_NAME: 't' })).toMatchObject({
      TABLE_NAME: 't',
      LOOKBACK_DAYS: 2,
      POWERTOOLS_METRICS_NAMESPACE: 'Touchpoint',
    });
  });

  it('names every missing or bad variable, and has no default for a secret', () => {
    const bad = () =>
      parseEnv('send-batch', {
        TABLE_NAME: 't',
        SENDER_EMAIL: 'not-an-address',
        SES_CONFIGURATION_SET: 'cs',
        UNSUBSCRIBE_BASE_URL: 'https://x.example/',
      });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/SENDER_EMAIL: .*UNSUBSCRIBE_SECRET_ARN: is not set/);
  });

  it('takes the generated secrets by ARN only', () => {
    expect(() =>
      parseEnv('send-batch', {
        TABLE_NAME: 't',
        SENDER_EMAIL: 'a@shop.de',
        SES_CONFIGURATION_SET: 'cs',
        UNSUBSCRIBE_BASE_URL: 'https://x.example/',
        UNSUBSCRIBE_SECRET_ARN: 'a-secret-value-not-an-arn',
      }),
    ).toThrow(/UNSUBSCRIBE_SECRET_ARN: expected a Secrets Manager ARN/);
    expect(requiredVariables('api')).toEqual(
      expect.arrayContaining(['UNSUBSCRIBE_SECRET_ARN', 'PSEUDONYM_SECRET_ARN']),
    );
    expect(
      parseEnv('api', {
        TABLE_NAME: 't',
        SENDER_EMAIL: 'a@shop.de',
        SES_CONFIGURATION_SET: 'cs',
        UNSUBSCRIBE_BASE_URL: 'https://x.example/',
        UNSUBSCRIBE_SECRET_ARN: ARN,
        PSEUDONYM_SECRET_ARN: ARN,
        EVENT_BUS_NAME: 'bus',
        STATE_MACHINE_ARN: 'arn:aws:states:eu-central-1:123456789012:stateMachine:Run',
        PARTNER_SECRET_PREFIX: 'touchpoint/dev',
        PARTNER_RATE_LIMIT: '20',
        PARTNER_BURST_LIMIT: '40',
      }).MAX_BODY_BYTES,
    ).toBe(256 * 1024);
  });

  it('has a schema for every function entry', () => {
    expect([...FUNCTION_ROLES].sort()).toEqual([
      'api',
      'delivery-events',
      'import-upload',
      'inbound-sms',
      'ingest-event',
      'plan-run',
      'select-run',
      'send-batch',
      'summarize-run',
    ]);
  });
});
