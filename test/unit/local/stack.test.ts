// Pure parts of the warm stack: which stacks to evict, its settings, and the outbox's shape and order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseChannel } from '../../../local/cli/commands/outbox.js';
import { isCalendarDate } from '../../../local/cli/context.js';
import { parseProcStat } from '../../../local/process-identity.js';
import { StackConfigError, stackConfig } from '../../../local/stack/config.js';
import { emailToOutbox, mergeOutbox, smsToOutbox } from '../../../local/stack/outbox.js';
import { BUSY_MS, stacksToEvict } from '../../../local/stack/registry.js';
import { calendarDate } from '../../../shared/domain/documents.js';

describe('stacksToEvict', () => {
  const now = 1_000_000;
  const running = [
    { dataDir: '/a', lastUsedMs: now - 60_000 },
    { dataDir: '/b', lastUsedMs: now - 180_000 },
    { dataDir: '/c', lastUsedMs: now - 120_000 },
  ];
  const dirs = (list: { dataDir: string }[]) => list.map((s) => s.dataDir);

  it('keeps the most recently used others so that at most max run with the new one', () => {
    expect(dirs(stacksToEvict(running, { dataDir: '/new' }, 2, now))).toEqual(['/c', '/b']);
    expect(dirs(stacksToEvict(running, { dataDir: '/new' }, 1, now))).toEqual(['/a', '/c', '/b']);
    expect(stacksToEvict(running, { dataDir: '/new' }, 4, now)).toEqual([]);
  });

  it('never evicts the data dir being started', () => {
    expect(dirs(stacksToEvict(running, { dataDir: '/a' }, 1, now))).toEqual(['/c', '/b']);
    expect(dirs(stacksToEvict(running, { dataDir: '/a' }, 2, now))).toEqual(['/b']);
  });

  it('spares a stack in use, even beyond the cap', () => {
    const busy = [...running, { dataDir: '/d', lastUsedMs: now - BUSY_MS + 1 }];
    expect(dirs(stacksToEvict(busy, { dataDir: '/new' }, 1, now))).toEqual(['/a', '/c', '/b']);
  });

  it('stops only stacks started under the same tag (one test run never stops another)', () => {
    const tagged = [...running, { dataDir: '/t', lastUsedMs: 0, tag: 'vitest-1' }];
    expect(dirs(stacksToEvict(tagged, { dataDir: '/new', tag: 'vitest-1' }, 1, now))).toEqual(['/t']);
    expect(dirs(stacksToEvict(tagged, { dataDir: '/new' }, 1, now))).toEqual(['/a', '/c', '/b']);
  });
});

describe('stackConfig', () => {
  it('defaults to five idle minutes, two stacks and a two-minute start', () => {
    expect(stackConfig({})).toEqual({ idleMs: 300_000, maxStacks: 2, startTimeoutMs: 120_000 });
  });

  it('reads the environment once and refuses nonsense', () => {
    expect(stackConfig({ TOUCHPOINT_IDLE_SECONDS: '3', TOUCHPOINT_MAX_STACKS: '1' })).toMatchObject({
      idleMs: 3000,
      maxStacks: 1,
    });
    expect(() => stackConfig({ TOUCHPOINT_IDLE_SECONDS: 'soon' })).toThrow(StackConfigError);
    expect(() => stackConfig({ TOUCHPOINT_MAX_STACKS: '0' })).toThrow(StackConfigError);
  });
});

describe('the outbox', () => {
  const email = emailToOutbox({
    messageId: 'e-1',
    from: 'outreach@touchpoint.local',
    destination: { to: ['ana@example.com', 'bo@example.com'] },
    subject: 'Hi',
    body: { text: 'Hello', html: '<p>Hello</p>' },
    headers: [{ name: 'List-Unsubscribe', value: '<https://x/u>' }],
    at: 1_764_633_600,
    receivedAt: '2025-12-02T00:00:00.500Z',
  });
  const sms = smsToOutbox({
    messageId: 's-1',
    to: '+8613800138000',
    body: 'Hi',
    messageType: 'PROMOTIONAL',
    originationIdentity: '+15555550100',
    receivedAt: '2025-12-02T00:00:00.100Z',
  });

  it('maps both servers to the contract shape', () => {
    expect(email).toEqual({
      messageId: 'e-1',
      channel: 'email',
      to: 'ana@example.com, bo@example.com',
      from: 'outreach@touchpoint.local',
      receivedAt: '2025-12-02T00:00:00.500Z',
      subject: 'Hi',
      headers: { 'List-Unsubscribe': '<https://x/u>' },
      text: 'Hello',
      html: '<p>Hello</p>',
    });
    expect(sms).toEqual({
      messageId: 's-1',
      channel: 'sms',
      to: '+8613800138000',
      from: '+15555550100',
      receivedAt: '2025-12-02T00:00:00.100Z',
      text: 'Hi',
      messageType: 'PROMOTIONAL',
    });
  });

  it('takes the server time of an email captured without an arrival time', () => {
    const old = emailToOutbox({
      messageId: 'e-0',
      from: 'f',
      destination: { to: ['t'] },
      subject: 's',
      body: {},
      at: 1_764_633_600,
    });
    expect(old.receivedAt).toBe('2025-12-02T00:00:00.000Z');
    expect(old).not.toHaveProperty('text');
    expect(old).not.toHaveProperty('headers');
  });

  it('lists oldest first, keeping each server order for equal times', () => {
    const twin = { ...sms, messageId: 's-2' };
    expect(mergeOutbox([email], [sms, twin]).map((m) => m.messageId)).toEqual(['s-1', 's-2', 'e-1']);
    expect(mergeOutbox([twin], [sms]).map((m) => m.messageId)).toEqual(['s-2', 's-1']);
  });

  it('accepts email or sms as --channel and nothing else', () => {
    expect(parseChannel(undefined)).toBeUndefined();
    expect(parseChannel('sms')).toBe('sms');
    expect(() => parseChannel('fax')).toThrow(/--channel must be email or sms/);
  });
});

describe('isCalendarDate (the CLI checks --date without the zod schemas)', () => {
  it('agrees with the calendar on real and impossible days', () => {
    for (const d of ['2026-11-26', '2024-02-29', '2000-02-29', '1900-01-01', '2100-12-31'])
      expect(isCalendarDate(d)).toBe(true);
    for (const d of [
      '2026-13-01',
      '2026-02-29',
      '1900-02-29',
      '2026-04-31',
      '2026-1-01',
      '26-11-26',
      '',
    ].concat(['0050-01-01', '1899-12-31', '2101-01-01', '9999-12-31']))
      expect(isCalendarDate(d)).toBe(false);
  });

  it('accepts exactly what the domain calendarDate accepts', () => {
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const s = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
          expect(isCalendarDate(s)).toBe(calendarDate.safeParse(s).success);
        },
      ),
    );
  });
});

describe('parseProcStat (what a lock checks before it stops a process it names)', () => {
  const stat = (comm: string, state = 'S', startTime = '480002') =>
    `2680 (${comm}) ${state} 2655 2655 28270 0 -1 4194304 101 0 0 0 0 0 0 0 20 0 1 0 ${startTime} 3133440 413`;

  it('reads the process group and the start time (field 22), whatever the command name holds', () => {
    expect(parseProcStat(stat('java'))).toEqual({ pgid: 2655, startTime: '480002' });
    expect(parseProcStat(stat('a b) S 1 2 (c'))).toEqual({ pgid: 2655, startTime: '480002' });
  });

  it('counts a zombie as gone: it has exited and holds nothing', () => {
    expect(parseProcStat(stat('java', 'Z'))).toBeUndefined();
  });

  it('refuses a line it cannot read rather than guess', () => {
    expect(parseProcStat('')).toBeUndefined();
    expect(parseProcStat('2680 (java) S 1')).toBeUndefined();
    expect(parseProcStat(stat('java', 'S', 'soon'))).toBeUndefined();
  });
});
