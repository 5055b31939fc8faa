// The demo population on the cloud's paths: its customers and contracts imported through the API
// (POST /v1/customers:import, /v1/contracts:import), its campaign stored as `campaign apply` stores
// one, and each renewal the response model draws (demo-population.ts) written when the simulated
// month reaches it through PUT /v1/contracts/{id}, with the API's clock at the renewal's instant,
// so attribution sees it as it would arrive in the cloud. The demo keeps its own tally beside the
// report's, so each number of the results table can be checked against the draws.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../shared/api/app.js';
import { campaignSchema } from '../../shared/domain/documents.js';
import { type ResultsReport, resultsReportSchema } from '../../shared/usecases/results/schemas.js';
import { devOpsToken, localApiDeps } from '../api-server.js';
import { type Embedded, PROJECT_ROOT } from '../runtime.js';
import {
  type Group,
  POPULATION_CAMPAIGN,
  POPULATION_LOADED_AT,
  POPULATION_SIZE,
  type PopulationMember,
  population,
  type Response,
  responseTo,
} from './demo-population.js';

export const POPULATION_CAMPAIGN_FILE = join(
  PROJECT_ROOT,
  'local',
  'cli',
  'demo-data',
  `${POPULATION_CAMPAIGN}.json`,
);

/** The fields of a run report's touch the population reads. */
export interface PopulationTouch {
  campaignId: string;
  customerId: string;
  sendAt: string;
  outcome: string;
  outcomeReason?: string;
}

export interface Tally {
  customers: number;
  renewed: number;
}

export class DemoPopulation {
  private readonly members: Map<string, PopulationMember>;
  private readonly api: ReturnType<typeof createApp>;
  private readonly token: string;
  /** The API's clock: the instant of the response being written (before the month: its import). */
  private now = new Date(POPULATION_LOADED_AT);
  private readonly pending: Response[] = [];
  private readonly seen = new Set<string>();
  readonly tally: Record<Group, Tally> = {
    treated: { customers: 0, renewed: 0 },
    holdout: { customers: 0, renewed: 0 },
  };

  constructor(env: Embedded, size = POPULATION_SIZE) {
    this.members = new Map(population(size).map((m) => [m.customer.id, m]));
    this.api = createApp(localApiDeps(env, { clock: { now: () => this.now } }));
    this.token = devOpsToken(env.dataDir);
  }

  /**
   * The customers and their contracts, imported as a client would, then the campaign (as the demo
   * stores the examples'): contracts that exist before any touch are no one's conversion.
   */
  async load(env: Embedded): Promise<void> {
    const members = [...this.members.values()];
    // Four requests at a time, as a client loading a file in parts would: the writes overlap.
    const parts = [0, 1, 2, 3].map((k) => members.filter((_, i) => i % 4 === k));
    await Promise.all(
      parts.map((part) =>
        this.call(
          'POST',
          '/v1/customers:import',
          part.map((m) => m.customer),
        ),
      ),
    );
    await Promise.all(
      parts.map((part) =>
        this.call(
          'POST',
          '/v1/contracts:import',
          part.map((m) => m.contract),
        ),
      ),
    );
    await env.deps.store.campaigns.putCampaign(
      campaignSchema.parse(JSON.parse(readFileSync(POPULATION_CAMPAIGN_FILE, 'utf8'))),
    );
  }

  /**
   * After a day's run: its population touches (sent: treated; held out: holdout) draw their
   * responses, and every response due by the end of `date` is written. A line to print, or none.
   */
  async afterRun(date: string, touches: readonly PopulationTouch[]): Promise<string | undefined> {
    const day: Record<Group, number> = { treated: 0, holdout: 0 };
    for (const t of touches) {
      const group = groupOf(t);
      const member = this.members.get(t.customerId);
      if (!group || !member || this.seen.has(t.customerId)) continue;
      this.seen.add(t.customerId);
      day[group]++;
      this.tally[group].customers++;
      const response = responseTo(member, { group, sendAt: t.sendAt });
      if (response) this.pending.push(response);
    }
    const renewed = await this.renewUntil(`${date}T23:59:59.999Z`);
    if (day.treated + day.holdout + renewed.treated + renewed.holdout === 0) return undefined;
    return `${POPULATION_CAMPAIGN} (simulated population): ${day.treated} emailed, ${day.holdout} held out; renewed: ${renewed.treated} touched, ${renewed.holdout} held out`;
  }

  /** Writes the responses due by `until`, oldest first; how many of each group renewed. */
  async renewUntil(until: string): Promise<Record<Group, number>> {
    const due = this.pending.filter((r) => r.at <= until).sort((a, b) => a.at.localeCompare(b.at));
    const renewed: Record<Group, number> = { treated: 0, holdout: 0 };
    for (const response of due) {
      this.pending.splice(this.pending.indexOf(response), 1);
      this.now = new Date(response.at);
      await this.call('PUT', `/v1/contracts/${encodeURIComponent(response.contract.id)}`, response.contract);
      renewed[response.group]++;
      this.tally[response.group].renewed++;
    }
    return renewed;
  }

  /** The demo's own count from its draws, and where to check it by hand: lines to print. */
  summary(dataDir: string): string[] {
    const { treated, holdout } = this.tally;
    return [
      `${POPULATION_CAMPAIGN}, counted by the demo as it played the month: emailed ${treated.customers}, renewed ${treated.renewed}; held out ${holdout.customers}, renewed ${holdout.renewed}.`,
      `  by hand: npx touchpoint deliveries --campaign ${POPULATION_CAMPAIGN} --data-dir ${dataDir}   (sent rows: emailed; suppressed holdout: held out)`,
      `  and each customer's contracts (renewed, or a k-…-r contract ending later): npx touchpoint customer export c-5003 --data-dir ${dataDir}`,
    ];
  }

  /** The month's results as `touchpoint report` reads them: GET /v1/reports/campaigns. */
  async report(period: { from: string; to: string }): Promise<ResultsReport> {
    const query = new URLSearchParams(period).toString();
    return resultsReportSchema.parse(await this.call('GET', `/v1/reports/campaigns?${query}`));
  }

  private async call(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<unknown> {
    const res = await this.api.request(path, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (res.status >= 300)
      throw new Error(`demo population: ${method} ${path} → ${res.status} ${await res.text()}`);
    return res.json();
  }
}

function groupOf(t: PopulationTouch): Group | undefined {
  if (t.campaignId !== POPULATION_CAMPAIGN) return undefined;
  if (t.outcome === 'sent') return 'treated';
  if (t.outcome === 'suppressed' && t.outcomeReason === 'holdout') return 'holdout';
  return undefined;
}
