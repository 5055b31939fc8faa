// The webhook test bed: the Hono app (createApp) composed as the local API composes it, partners
// and receipts in DynamoDB Local, the synthesized template's bus rule, functions/ingest-event.ts and
// the store. The clock is a fake the test moves; signatures come from the standardwebhooks library.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Webhook } from 'standardwebhooks';
import { ulid } from 'ulid';
import { expect } from 'vitest';
import { z } from 'zod';
import type { Deps } from '../../../functions/commons/deps.js';
import { localApiDeps } from '../../../local/api-server.js';
import type { CfnTemplate } from '../../../local/assembly-tables.js';
import { RuleBus } from '../../../local/bus-rules.js';
import { LocalBus } from '../../../local/local-bus.js';
import { loadTemplate } from '../../../local/synth.js';
import { createApp } from '../../../shared/api/app.js';
import { newPartner } from '../../../shared/partners/secrets.js';
import type { DynamoStores, Stores } from '../../../shared/store/stores.js';
import { createTestStore } from './ddb.js';
import { customer } from './fixtures.js';

export const START = Date.parse('2026-11-26T12:00:00Z');

const notRunning = {
  send: async () => ({ ok: false as const, retryable: false, error: 'not in this test' }),
};

const problemJson = z.object({
  type: z.string().url(),
  title: z.string(),
  status: z.number(),
  detail: z.string().optional(),
});

export async function expectProblem(res: Response, status: number): Promise<unknown> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body: unknown = await res.json();
  expect(problemJson.parse(body).status).toBe(status);
  return body;
}

export const eventBody = (over: Record<string, unknown> = {}): string =>
  JSON.stringify({
    id: `ev-${ulid()}`,
    customerId: 'c-1',
    type: 'app.login',
    occurredAt: '2026-11-26T11:00:00Z',
    ...over,
  });

export const eventIdOf = (body: string): string => z.object({ id: z.string() }).parse(JSON.parse(body)).id;

export interface SendOptions {
  partner?: string;
  secret?: string;
  at?: number;
  id?: string;
  headers?: Record<string, string>;
  omit?: string[];
}

type Table = { client: DynamoDBDocumentClient; tableName: string };

/** One store (customers c-1 and c-2, partner acme) and an app over it that tests rebuild at will. */
export function webhookTestBed() {
  const clock = { t: START, now: () => new Date(clock.t) };
  let ready: { template: CfnTemplate; store: DynamoStores; table: Table; secret: string } | undefined;
  let app: OpenAPIHono | undefined;
  let bus: RuleBus | undefined;
  let busFailures: unknown[] = [];
  const state = () => {
    if (!ready) throw new Error('webhookTestBed: setup() first');
    return ready;
  };

  /**
   * What the local API is composed of, less its data dir: the template, the store, senders that never
   * send, a new bus and the test clock (`extra` adds to the deps, e.g. a rate schedule).
   */
  function composed(
    extra: Partial<Deps> = {},
    on: { store: Stores } = state(),
  ): Omit<Parameters<typeof localApiDeps>[0], 'dataDir'> {
    const events = new LocalBus();
    const deps: Deps = {
      store: on.store,
      email: notRunning,
      sms: notRunning,
      events,
      clock,
      links: { unsubscribeBaseUrl: 'http://x/', unsubscribeSecret: 's' },
      ...extra,
    };
    return { template: state().template, deps, bus: events, busBackoffMs: () => 0 };
  }

  /** A new app (new partner cache and token buckets) over `on.store`; sends go to it from now on. */
  function makeApp(on: { store: Stores } = state()): OpenAPIHono {
    const dataDir = mkdtempSync(join(tmpdir(), 'tp-webhooks-'));
    const apiDeps = localApiDeps({ ...composed({}, on), dataDir });
    bus = apiDeps.events instanceof RuleBus ? apiDeps.events : undefined;
    busFailures = bus ? bus.failures : ['the API events are not the local RuleBus'];
    app = createApp(apiDeps);
    return app;
  }

  return {
    clock,
    makeApp,
    composed,
    /** The synthesized template the bed's app is composed from. */
    get template(): CfnTemplate {
      return state().template;
    },
    async setup(): Promise<void> {
      const { template } = await loadTemplate();
      const { store, client, tableName } = await createTestStore();
      await store.documents.putCustomers([customer({ id: 'c-1' }), customer({ id: 'c-2' })]);
      const acme = newPartner('acme', new Date(START));
      expect(await store.partners.addPartner(acme)).toBe(true);
      ready = { template, store, table: { client, tableName }, secret: acme.secrets[0]?.secret ?? '' };
    },
    get store(): DynamoStores {
      return state().store;
    },
    get table(): Table {
      return state().table;
    },
    /** acme's secret. */
    get secret(): string {
      return state().secret;
    },
    get app(): OpenAPIHono {
      if (!app) throw new Error('webhookTestBed: makeApp() first');
      return app;
    },
    /** Targets that failed on the bus (e.g. ingest-event refusing what the API accepted): must stay empty. */
    get busFailures(): unknown[] {
      return busFailures;
    },
    /** The API's bus, to publish past the webhook as another publisher would. */
    get bus(): RuleBus | undefined {
      return bus;
    },

    /** A signed webhook (acme's secret, the clock's time, application/json unless told otherwise). */
    async send(body: string, opts: SendOptions = {}): Promise<Response> {
      const id = opts.id ?? ulid();
      const at = new Date(opts.at ?? clock.t);
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(opts.secret ?? state().secret).sign(id, at, body),
        ...opts.headers,
      };
      for (const h of opts.omit ?? []) delete headers[h];
      if (!app) throw new Error('webhookTestBed: makeApp() first');
      const res = await app.request(`/webhooks/${opts.partner ?? 'acme'}`, { method: 'POST', body, headers });
      // The bus delivers after the 202, as EventBridge does; tests read the store once it has.
      await bus?.settled();
      return res;
    },

    async storedEvent(id: string, on: Table = state().table): Promise<Record<string, unknown> | undefined> {
      const out = await on.client.send(
        new GetCommand({ TableName: on.tableName, Key: { pk: `EVENT#${id}`, sk: 'EVENT' } }),
      );
      return out.Item;
    },

    // A test's whole-table read: to prove that nothing was written, it must look everywhere, which
    // no product path does (they read through keys and day indexes only).
    async rows(prefix: string, on: Table = state().table): Promise<string[]> {
      const out = await on.client.send(
        new ScanCommand({
          TableName: on.tableName,
          FilterExpression: 'begins_with(pk, :p)',
          ExpressionAttributeValues: { ':p': prefix },
          ConsistentRead: true,
        }),
      );
      return (out.Items ?? []).map((i) => String(i.pk));
    },
  };
}
