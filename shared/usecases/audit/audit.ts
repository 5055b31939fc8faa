// The audit use cases: an entry for a change or a refusal (built from what the request did, never
// its body), kept without failing the change it records, and the log read newest first. The API's
// access middleware (shared/api/ops/access.ts) records; GET /v1/audit and `touchpoint audit` read.
import type { AuditActor, AuditEntry, AuditLog, AuditPage, AuditPosition } from '../../ports/audit.js';
import type { Clock } from '../../ports/clock.js';
import { pseudonymOf } from '../customers/erase-customer.js';

export interface AuditFacts {
  actor: AuditActor;
  method: string;
  /** The concrete path as routed (`/v1/…`). */
  path: string;
  /** The route template (`/v1/customers/{id}`). */
  route: string;
  /** The template's parameter values in the concrete path, in order (decoded). */
  params: readonly string[];
  status: number;
  outcome: AuditEntry['outcome'];
  /** The parameters name personal data: kept as the pseudonym erasure uses. */
  personal: boolean;
}

/**
 * The entry for a request. Personal parameters become `anon-<HMAC>`, the very id an erasure's
 * receipt carries (shared/usecases/customers/erase-customer.ts), so the log names no customer or
 * address yet an erase and the changes before it can be matched by whoever holds the key.
 */
export function auditEntryOf(facts: AuditFacts, at: Date, pseudonymKey: string): AuditEntry {
  const shown = facts.params.map((p) => (facts.personal ? `anon-${pseudonymOf(pseudonymKey, p)}` : p));
  const segments = facts.route.split('/');
  let i = 0;
  const path = facts.personal
    ? segments.map((s) => (/^\{[^}]+\}$/.test(s) ? encodeURIComponent(shown[i++] ?? '') : s)).join('/')
    : facts.path;
  return {
    at: at.toISOString(),
    actor: {
      subject: facts.actor.subject,
      name: facts.actor.name,
      role: facts.actor.role,
      via: facts.actor.via,
    },
    method: facts.method,
    path,
    route: facts.route,
    status: facts.status,
    outcome: facts.outcome,
    ...(shown.length > 0 && { target: shown.join('/') }),
  };
}

export interface RecordAuditDeps {
  audit: AuditLog;
  clock: Clock;
  pseudonymKey: string;
  /** A failed write: logged and counted by the caller; the change it records stands. */
  onFailure: (error: unknown, entry: AuditEntry) => void;
}

/** Keeps the entry; a failure is reported, never thrown (a done change must not become a 500). */
export async function recordAudit(deps: RecordAuditDeps, facts: AuditFacts): Promise<boolean> {
  const entry = auditEntryOf(facts, deps.clock.now(), deps.pseudonymKey);
  try {
    await deps.audit.append(entry);
    return true;
  } catch (error) {
    deps.onFailure(error, entry);
    return false;
  }
}

/** A page of the log, newest first. */
export async function listAudit(
  deps: { audit: AuditLog; clock: Clock },
  query: { limit: number; after?: AuditPosition | undefined },
): Promise<AuditPage> {
  return deps.audit.list({
    limit: query.limit,
    now: deps.clock.now(),
    ...(query.after !== undefined && { after: query.after }),
  });
}
