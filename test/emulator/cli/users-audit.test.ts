// `touchpoint users` and `touchpoint audit` as the real CLI runs them: local console users in the
// data dir (0600), a Cognito-shaped ID token, typed refusals and usage errors with the contract's
// exit codes; the audit log read through GET /v1/audit, the CLI's own change in it.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestStore } from '../support/ddb.js';
import { hostileApp, listen } from '../support/ops-app.js';
import { cli, json } from './cli.js';

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'tp-users-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('touchpoint users', () => {
  it('adds, lists, issues a 12 h Cognito-shaped ID token, and removes', async () => {
    const added = await cli(['users', 'add', 'Ann@Example.com', '--role', 'editor', '--json'], { dataDir });
    expect(added.code).toBe(0);
    expect(json(added)).toMatchObject({
      ok: true,
      change: 'added',
      user: { email: 'ann@example.com', role: 'editor' },
    });
    expect(statSync(join(dataDir, 'console-users.json')).mode & 0o777).toBe(0o600);

    const listed = await cli(['users', 'list', '--json'], { dataDir });
    expect(json(listed)).toMatchObject({ count: 1, users: [{ email: 'ann@example.com', role: 'editor' }] });

    const issued = await cli(['users', 'token', 'ann@example.com'], { dataDir });
    expect(issued.code).toBe(0);
    const claims = decodeJwt(issued.stdout.trim());
    expect(claims).toMatchObject({
      email: 'ann@example.com',
      'cognito:groups': ['editor'],
      token_use: 'id',
      iss: 'urn:touchpoint:local-console',
      aud: 'touchpoint-console-local',
    });
    expect(typeof claims.sub).toBe('string');
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(12 * 3600);
    expect(statSync(join(dataDir, 'keys', 'console-signing.jwk')).mode & 0o777).toBe(0o600);

    expect((await cli(['users', 'remove', 'ann@example.com'], { dataDir })).code).toBe(0);
    expect(json(await cli(['users', 'list', '--json'], { dataDir }))).toMatchObject({ count: 0 });
  });

  it('refuses with exit 1 what it cannot do, and usage errors with exit 2', async () => {
    expect((await cli(['users', 'token', 'nobody@example.com'], { dataDir })).code).toBe(1);
    expect((await cli(['users', 'remove', 'nobody@example.com'], { dataDir })).code).toBe(1);
    expect((await cli(['users', 'add', 'not-an-email', '--role', 'viewer'], { dataDir })).code).toBe(1);
    expect((await cli(['users', 'add', 'a@example.com'], { dataDir })).code).toBe(2);
    expect((await cli(['users', 'add', 'a@example.com', '--role', 'owner'], { dataDir })).code).toBe(2);
    expect((await cli(['users', 'list', '--role', 'admin'], { dataDir })).code).toBe(2);
    expect((await cli(['users', 'nope'], { dataDir })).code).toBe(2);
  });
});

describe('touchpoint audit', () => {
  it('lists the log through the API, newest first, with the CLI’s own change as the development token', async () => {
    const { store } = await createTestStore();
    const app = hostileApp(store, 'cli-token');
    const server = await listen(app.app);
    try {
      const api = ['--api', server.url, '--token', 'cli-token'];
      const add = await cli(['suppression', 'add', 'bob@example.com', '--reason', 'bounced', ...api], {
        dataDir,
      });
      expect(add.code).toBe(0);
      const out = await cli(['audit', '--json', '--limit', '5', ...api], { dataDir });
      expect(out.code).toBe(0);
      const doc = z
        .object({
          count: z.number(),
          entries: z.array(
            z.object({
              method: z.string(),
              path: z.string(),
              actor: z.object({ name: z.string(), via: z.string() }),
            }),
          ),
        })
        .parse(json(out));
      expect(doc.entries[0]).toMatchObject({
        method: 'POST',
        path: '/v1/suppressions',
        actor: { name: 'local developer', via: 'token' },
      });
      expect((await cli(['audit', '--limit', 'x', ...api], { dataDir })).code).toBe(2);
    } finally {
      await server.close();
    }
  });
});
