// The audit entry and page as data: the store reads items back with it, the API documents it,
// the CLI parses the API's answer with it.
import * as z from 'zod';

export const auditActorSchema = z.object({
  subject: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'editor', 'viewer']),
  via: z.enum(['iam', 'token', 'cognito']),
});

export const auditEntrySchema = z.object({
  at: z.string(),
  actor: auditActorSchema,
  method: z.string(),
  path: z.string(),
  route: z.string(),
  status: z.number().int(),
  outcome: z.enum(['ok', 'denied']),
  target: z.string().optional(),
});

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Opaque: pass it back as `cursor` for the next (older) page. */
  cursor: z.string().optional(),
});

/** How long an entry is kept (the table's TTL deletes it after). */
export const AUDIT_RETENTION_DAYS = 400;
export const AUDIT_PAGE_MAX = 200;
export const AUDIT_PAGE_DEFAULT = 50;
