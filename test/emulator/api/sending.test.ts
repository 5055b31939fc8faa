// The reputation guard's edges (issue 12, item 6): GET /v1/sending/{channel}, POST …/resume, and
// `touchpoint sending status|resume` as their client, over DynamoDB Local.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoStores } from '../../../shared/store/stores.js';
import { noteDeliveryOutcome } from '../../../shared/usecases/reputation/note-outcome.js';
import { sendingResumedSchema, sendingStatusSchema } from '../../../shared/usecases/reputation/schemas.js';
import { cli } from '../cli/cli.js';
import { createTestStore } from '../support/ddb.js';
import { type HostileApp, hostileApp, listen } from '../support/ops-app.js';

const TOKEN = 'dev-token-sending';
const AT = '2026-11-26T07:30:00Z'; // within the hour before the app's clock
let store: DynamoStores;
let api: HostileApp;
let server: { url: string; close: () => Promise<void> };
let work: string;

beforeAll(async () => {
  ({ store } = await createTestStore());
  api = hostileApp(store, TOKEN);
  server = await listen(api.app);
  work = mkdtempSync(join(tmpdir(), 'tp-sending-'));
});
afterAll(async () => {
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const remote = (args: string[]) => cli([...args, '--api', server.url, '--token', TOKEN], { dataDir: work });

describe('sending status and resume', () => {
  it('shows a channel paused by the guard with why, resumes it through the CLI, and refuses an unknown channel changing nothing', async () => {
    const fresh = sendingStatusSchema.parse(await (await api.call('GET', '/v1/sending/email')).json());
    expect(fresh).toMatchObject({ channel: 'email', paused: false, window: { sent: 0, hours: 24 } });

    const deps = { reputation: store.reputation };
    for (let i = 0; i < 200; i++)
      await noteDeliveryOutcome(deps, { channel: 'email', outcome: 'sent', at: AT });
    for (let i = 0; i < 11; i++)
      await noteDeliveryOutcome(deps, { channel: 'email', outcome: 'bounced', at: AT });

    const status = await remote(['sending', 'status', 'email', '--json']);
    expect(status.code).toBe(0);
    const shown = JSON.parse(status.stdout);
    expect(shown.channels[0]).toMatchObject({
      channel: 'email',
      paused: true,
      reason: expect.stringMatching(/^bounce rate 5\.5 %/),
      window: { sent: 200, bounced: 11, bounceRate: 0.055 },
    });
    const human = await remote(['sending', 'status']);
    expect(human.stdout).toMatch(/email: PAUSED since .*touchpoint sending resume email/s);
    expect(human.stdout).toMatch(/sms: sending/);

    const before = api.footprint();
    for (const [method, path] of [
      ['GET', '/v1/sending/fax'],
      ['POST', '/v1/sending/fax/resume'],
    ] as const)
      expect((await api.call(method, path)).status).toBe(400);
    expect(api.footprint()).toEqual(before);
    expect((await remote(['sending', 'resume', 'fax'])).code).toBe(2);
    expect((await remote(['sending', 'resume'])).code).toBe(2);

    const resumed = await remote(['sending', 'resume', 'email', '--json']);
    expect(resumed.code).toBe(0);
    expect(sendingResumedSchema.parse(JSON.parse(resumed.stdout))).toMatchObject({
      resumed: true,
      status: { paused: false, window: { sent: 0, bounced: 0 } },
    });
    // Idempotent: a second resume says it was not paused.
    const again = sendingResumedSchema.parse(
      await (await api.call('POST', '/v1/sending/email/resume')).json(),
    );
    expect(again.resumed).toBe(false);
  });
});
