// The audit log: who changed what, when, through which door, and who was refused. Entries are
// appended, never changed; they carry no request body and no personal data in clear (path
// parameters that name a customer, a contract or an address are pseudonyms). docs/console-auth.md.

export interface AuditActor {
  subject: string;
  name: string;
  role: 'admin' | 'editor' | 'viewer';
  via: 'iam' | 'token' | 'cognito';
}

export interface AuditEntry {
  /** ISO 8601, when the request was answered. */
  at: string;
  actor: AuditActor;
  method: string;
  /** The concrete path, `/v1/campaigns/welcome` (personal parameters as pseudonyms). */
  path: string;
  /** The route template, `/v1/campaigns/{id}`. */
  route: string;
  status: number;
  outcome: 'ok' | 'denied';
  /** The resource the path names (its parameters joined by `/`), when it names one. */
  target?: string;
}

/** Where a page of the log stopped: a month's partition and the last sort key read in it. */
export interface AuditPosition {
  /** `YYYY-MM`. */
  month: string;
  /** The sort key of the last entry returned. */
  before: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Absent when no older entry is left. */
  next?: AuditPosition;
}

export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first, from `after` (else from `now`'s month), back to the retention horizon. */
  list(query: { limit: number; after?: AuditPosition; now: Date }): Promise<AuditPage>;
}
