// `npm start -- --once`, as a new user runs it: the demo month through the synthesized schedule
// and state machine, then a clean exit. It loads the domain before the API, which once broke it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tp-demo-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start -- --once', () => {
  it('sends the demo month and exits 0', async () => {
    const result = await cli(['demo', '--once'], { dataDir });
    expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toContain('16 messages sent over 2026-11-26 … 2026-12-31.');
    expect(result.stdout).toMatch(/Time from start to first delivered message: \d+ ms\./);
    expect(result.stdout).toMatch(/^Mailbox \(rendered emails\): http:\/\/127\.0\.0\.1:\d+\/$/m);
  }, 180_000);
});
