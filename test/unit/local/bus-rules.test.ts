// The local buses as the template declares them: the targets' RetryPolicy, DeadLetterConfig and
// InputPath, delivery after publish() returns, and the default bus's rules (SES, SMS events).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../../functions/commons/deps.js';
import { busRulesFromTemplate, listDeadLetters, RuleBus } from '../../../local/bus-rules.js';
import { LocalBus } from '../../../local/local-bus.js';
import type { DomainEvent } from '../../../shared/ports/events.js';
import { busTargetProbe } from '../../support/fakes/bus-target.js';
import { memoryStores } from '../../support/fakes/memory-stores.js';

const ENTRY = 'test/support/fakes/bus-target.ts';

const target = (extra: Record<string, unknown> = {}) => ({
  Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] },
  Id: 'Target0',
  DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } },
  RetryPolicy: { MaximumEventAgeInSeconds: 21600, MaximumRetryAttempts: 3 },
  ...extra,
});
const template = (targetExtra: Record<string, unknown> = {}, entry = ENTRY) => ({
  Resources: {
    Bus: { Type: 'AWS::Events::EventBus' },
    Dlq: { Type: 'AWS::SQS::Queue' },
    ConfigSet: { Type: 'AWS::SES::ConfigurationSet' },
    FnDlq: { Type: 'AWS::SQS::Queue' },
    Fn: {
      Type: 'AWS::Lambda::Function',
      Metadata: { 'touchpoint:entry': entry },
      Properties: { DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': ['FnDlq', 'Arn'] } } },
    },
    Partner: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventBusName: { Ref: 'Bus' },
        EventPattern: { source: ['touchpoint.partner'], 'detail-type': ['CustomerEvent'] },
        Targets: [target(targetExtra)],
      },
    },
    Ses: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventBusName: 'default',
        EventPattern: {
          source: ['aws.ses'],
          detail: { mail: { tags: { 'ses:configuration-set': [{ Ref: 'ConfigSet' }] } } },
        },
        Targets: [target()],
      },
    },
  },
});

const deps: Deps = {
  store: memoryStores(),
  email: { send: async () => ({ ok: false as const, retryable: false, error: 'n/a' }) },
  sms: { send: async () => ({ ok: false as const, retryable: false, error: 'n/a' }) },
  events: new LocalBus(),
  clock: { now: () => new Date('2026-11-26T12:00:00Z') },
  links: { unsubscribeBaseUrl: 'http://x/', unsubscribeSecret: 's' },
};

const partnerEvent: DomainEvent = {
  source: 'touchpoint.partner',
  detailType: 'CustomerEvent',
  detail: { id: 'ev-1', customerId: 'c-1' },
};

let dataDir = '';
const probe = busTargetProbe();
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'tp-bus-'));
  probe.received.length = 0;
  probe.failFirst = 0;
  delete probe.gate;
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const busOver = (t = template(), nowMs?: () => number) =>
  new RuleBus({
    inner: new LocalBus(),
    rules: busRulesFromTemplate(t),
    deps,
    deadLetterFile: join(dataDir, 'bus-dlq.ndjson'),
    backoffMs: () => 0,
    ...(nowMs && { nowMs }),
  });

describe('the local bus as the template declares it', () => {
  it("reads each target's retry policy, dead-letter queue and bus from the template instead of dropping them", () => {
    const rules = busRulesFromTemplate(template());
    expect(rules.map((r) => [r.logicalId, r.bus])).toEqual([
      ['Partner', 'project'],
      ['Ses', 'default'],
    ]);
    expect(rules[0]?.targets[0]).toMatchObject({
      retry: { maximumRetryAttempts: 3, maximumEventAgeSeconds: 21600 },
      deadLetterArn: expect.stringMatching(/:Dlq$/),
      functionRetry: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21600 },
      functionDeadLetterArn: expect.stringContaining('FnDlq'),
    });
  });

  it('refuses an input transformer it would not apply, rather than hand the target the whole event', () => {
    const t = template({ InputTransformer: { InputTemplate: '"<id>"', InputPathsMap: { id: '$.id' } } });
    expect(() => busRulesFromTemplate(t)).toThrow(/InputTransformer is not applied locally/);
  });

  it("hands the target only the InputPath's part of the event", async () => {
    const bus = busOver(template({ InputPath: '$.detail' }));
    await bus.publish([partnerEvent]);
    await bus.settled();
    expect(probe.received).toEqual([{ id: 'ev-1', customerId: 'c-1' }]);
  });

  it("returns from publish before the target runs, so a webhook's 202 does not wait for it", async () => {
    let release = () => {};
    probe.gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const bus = busOver();
    await bus.publish([partnerEvent]);
    // publish has resolved while the target is still held at its gate.
    let settled = false;
    const done = bus.settled().then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    release();
    await done;
    expect(probe.received).toHaveLength(1);
    expect(bus.failures).toEqual([]);
  });

  it("retries a handler that throws as Lambda's asynchronous invocation does, and delivers once it succeeds", async () => {
    probe.failFirst = 2;
    const bus = busOver();
    await bus.publish([partnerEvent]);
    await bus.settled();
    expect(probe.received).toHaveLength(3);
    expect(bus.failures).toEqual([]);
    expect(listDeadLetters(join(dataDir, 'bus-dlq.ndjson'))).toEqual([]);
  });

  it("dead-letters an event whose handler keeps throwing, after the function's retries, into a private file that lists it", async () => {
    probe.failFirst = Number.POSITIVE_INFINITY;
    const bus = busOver();
    await bus.publish([partnerEvent]);
    await bus.settled();
    expect(probe.received).toHaveLength(3); // 1 + Lambda's 2 asynchronous retries
    const file = join(dataDir, 'bus-dlq.ndjson');
    const [record, ...rest] = listDeadLetters(file);
    expect(rest).toEqual([]);
    expect(record).toMatchObject({
      rule: 'Partner',
      target: 'Fn',
      attempts: 3,
      error: 'target failed (call 3)',
      deadLetterArn: expect.stringContaining('FnDlq'),
      event: { source: 'touchpoint.partner', 'detail-type': 'CustomerEvent' },
      detail: { customerId: 'c-1' },
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("retries a target that cannot be invoked as the rule target's RetryPolicy says, then dead-letters it to the rule's DLQ", async () => {
    const bus = busOver(template({}, 'test/support/fakes/no-such-target.ts'));
    await bus.publish([partnerEvent]);
    await bus.settled();
    expect(bus.failures).toMatchObject([{ rule: 'Partner', attempts: 4 }]); // 1 + MaximumRetryAttempts 3
    const [record] = listDeadLetters(join(dataDir, 'bus-dlq.ndjson'));
    expect(record?.deadLetterArn).toMatch(/:Dlq$/);
  });

  it("erases a customer's dead-lettered events, which carry their partner event's data", async () => {
    probe.failFirst = Number.POSITIVE_INFINITY;
    const bus = busOver();
    await bus.publish([partnerEvent, { ...partnerEvent, detail: { id: 'ev-2', customerId: 'c-2' } }]);
    await bus.settled();
    const file = join(dataDir, 'bus-dlq.ndjson');
    const dlq = new LocalBus(file, 'localBusDlq');
    expect(await dlq.erase({ customerId: 'c-1', addresses: [], messageIds: [] })).toBe(1);
    expect(listDeadLetters(file).map((r) => r.detail)).toEqual([{ id: 'ev-2', customerId: 'c-2' }]);
  });

  it('stops retrying an event older than MaximumEventAgeInSeconds', async () => {
    probe.failFirst = Number.POSITIVE_INFINITY;
    let t = 0;
    const bus = busOver(template(), () => {
      t += 21_600_000; // each look at the clock: six hours later
      return t;
    });
    await bus.publish([partnerEvent]);
    await bus.settled();
    expect(probe.received).toHaveLength(1);
    expect(bus.failures).toMatchObject([{ attempts: 1 }]);
  });

  it("runs the default bus's rules: a synthetic SES event for our configuration set reaches its target", async () => {
    const bus = busOver();
    const ses = (configSet: string): DomainEvent => ({
      source: 'aws.ses',
      detailType: 'Email Delivered',
      detail: { mail: { tags: { 'ses:configuration-set': [configSet] } } },
    });
    await bus.defaultBus.publish([ses('ConfigSet'), ses('someone-elses')]);
    // The same event on the project bus matches no default-bus rule.
    await bus.publish([ses('ConfigSet')]);
    await bus.settled();
    expect(probe.received).toHaveLength(1);
    expect(probe.received[0]).toMatchObject({ source: 'aws.ses', 'detail-type': 'Email Delivered' });
  });
});
