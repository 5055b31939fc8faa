// `touchpoint serve` prints `Console http://127.0.0.1:N/console/` on a line of its own after its
// `API http://…` line (CONTRACT), and the URL answers with the console's page and its config.json,
// on the API's port. The build is the real one (local/console-assets.ts): cached after the first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGroupAlive, type SpawnedGroup, spawnGroup, stopGroup } from '../../../local/process-group.js';
import { BIN } from './cli.js';

let dataDir: string;
let serve: SpawnedGroup | undefined;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'tp-console-line-'));
});

afterAll(async () => {
  if (serve && isGroupAlive(serve.pid)) await stopGroup(serve.pid);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('touchpoint serve', () => {
  it('prints the Console line after the API line, and the console answers there', async () => {
    const group = spawnGroup(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], {
      env: { ...process.env, TOUCHPOINT_DATA_DIR: undefined },
    });
    serve = group;
    // A first start builds the console (tens of seconds on a slow machine); later ones find it.
    const deadline = Date.now() + 150_000;
    let lines: string[] = [];
    for (;;) {
      lines = group.output().split('\n');
      if (lines.some((l) => l.startsWith('Console '))) break;
      if (group.child.exitCode !== null) throw new Error(`serve exited early:\n${group.output()}`);
      if (Date.now() > deadline) throw new Error(`no Console line from serve:\n${group.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const api = lines.findIndex((l) => /^API http:\/\/127\.0\.0\.1:\d+$/.test(l));
    const consoleAt = lines.findIndex((l) => l.startsWith('Console '));
    expect(api).toBeGreaterThanOrEqual(0);
    expect(consoleAt).toBeGreaterThan(api);
    const apiUrl = lines[api]?.slice('API '.length);
    expect(lines[consoleAt]).toBe(`Console ${apiUrl}/console/`);

    const page = await fetch(`${apiUrl}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    const script = /src="(\/console\/assets\/[\w.-]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${apiUrl}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(await (await fetch(`${apiUrl}/console/config.json`)).json()).toEqual({
      apiBase: '/console/v1',
      auth: { kind: 'local' },
    });

    await stopGroup(group.pid);
    expect(isGroupAlive(group.pid)).toBe(false);
  }, 200_000);
});
