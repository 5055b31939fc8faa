// The small fault drive of `npm run test:faults` (test/faults/drive.ts), in the emulator tier: a few
// hundred touches through the real state machine while the providers throttle, fail with 5xx before
// and after accepting and time out, DynamoDB throttles, the batch handler dies between reserve and
// send and between send and settle, two executions of one firing overlap, and one is stopped
// mid-way and redriven. Every fault kind is scheduled at fixed request numbers, so each happens.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { driveFaults, faultLine } from '../../faults/drive.js';
import { type EngineEnv, openEngineEnv } from './support.js';

let engine: EngineEnv;

beforeAll(async () => {
  engine = await openEngineEnv('faults');
});
afterAll(async () => {
  await engine?.close();
});

describe('a run under provider, store and process faults, stopped and redriven', () => {
  it('sends every due touch exactly once: 0 duplicates, 0 lost, every unknown touch listed and reconciled', async () => {
    const { env } = engine;
    const { sesEndpoint, smsEndpoint } = env.info;
    if (!sesEndpoint || !smsEndpoint) throw new Error('the engine env has no local channels');
    const report = await driveFaults({
      template: env.template,
      ddbEndpoint: inject('ddbEndpoint'),
      sesEndpoint,
      smsEndpoint,
      customers: 100,
      prefix: `flt${Date.now()}`,
      seed: 14,
      ratePerSecond: 200,
      latencyMs: { min: 1, max: 5 },
      plan: {
        rates: { throttle: 0.03 },
        bursts: [
          { kind: 'throttle', from: 10, count: 8 },
          { kind: 'error-before', from: 20, count: 2 },
          { kind: 'error-after', from: 30, count: 2 },
          { kind: 'timeout-after', from: 40, count: 2 },
        ],
        ddbThrottleRate: 0.01,
        ddbThrottleFromCall: 0,
        crashBefore: [15, 70],
        crashAfter: [25, 80],
        crashRate: 0,
        stopAfterCalls: 60,
      },
    });

    expect(report.lostTouches).toEqual([]);
    expect(faultLine(report)).toBe(
      `faults: 120 touches, 0 duplicates, 0 lost, ${report.unknown.length} unknown`,
    );
    // Each fault happened: the counts say so, not just the plan.
    expect(report.crashes.before).toBeGreaterThanOrEqual(1);
    expect(report.crashes.after).toBeGreaterThanOrEqual(1);
    expect(Object.keys(report.injected).sort()).toEqual(
      expect.arrayContaining([
        'dynamodb throttle',
        'ses error-after',
        'ses error-before',
        'ses throttle',
        'ses timeout-after',
      ]),
    );
    expect(report.executions.join('\n')).toMatch(/stopped mid-way.*aborted/i);
    // The stopped execution left its run failed; the redrive took the same run to the end.
    expect(report.runStatus).toEqual({ stopped: 'failed', redriven: 'completed' });
    // Unknown touches: there are some (5xx, timeouts, crashes), and each one reconciled.
    expect(report.unknown.length).toBeGreaterThan(0);
    expect(report.unknown.filter((u) => !u.ok)).toEqual([]);
    expect(report.unknown.some((u) => u.atProvider)).toBe(true);
    expect(report.unknown.some((u) => !u.atProvider)).toBe(true);
  });
});
