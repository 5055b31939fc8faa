import { describe, expect, it } from 'vitest';
import {
  freePort,
  isGroupAlive,
  spawnGroup,
  stopGroup,
  WaitTimeoutError,
  waitForUrl,
} from '../../../local/process-group.js';

/** Polls a condition with a deadline instead of sleeping. */
const eventually = async (check: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('process groups', () => {
  it('escalates to SIGKILL when the group ignores SIGTERM, and kills grandchildren too', async () => {
    // The child ignores SIGTERM and forks a grandchild that does the same.
    const script = `
      const { spawn } = require('node:child_process');
      process.on('SIGTERM', () => {});
      const g = spawn(process.execPath, ['-e', "process.on('SIGTERM',()=>{}); console.log('g'); setInterval(()=>{},1000)"], { stdio: ['ignore', 'inherit', 'inherit'] });
      g.on('spawn', () => console.log('ready'));
      setInterval(() => {}, 1000);
    `;
    const group = spawnGroup(process.execPath, ['-e', script]);
    await eventually(() => group.output().includes('ready') && group.output().includes('g'));
    await stopGroup(group.pid, { graceMs: 300 });
    expect(isGroupAlive(group.pid)).toBe(false);
    expect(await group.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('stops a cooperative group with SIGTERM', async () => {
    const group = spawnGroup(process.execPath, ['-e', "console.log('ready'); setInterval(() => {}, 1000)"]);
    await eventually(() => group.output().includes('ready'));
    await stopGroup(group.pid);
    expect(await group.exited).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('stopping a group that is already gone is a no-op', async () => {
    const group = spawnGroup(process.execPath, ['-e', '0']);
    await group.exited;
    await eventually(() => !isGroupAlive(group.pid));
    await expect(stopGroup(group.pid)).resolves.toBeUndefined();
  });

  it('gives up waiting for a URL nobody serves with a typed error', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    await expect(waitForUrl(`http://127.0.0.1:${port}/`, { timeoutMs: 300, intervalMs: 50 })).rejects.toThrow(
      WaitTimeoutError,
    );
  });
});
