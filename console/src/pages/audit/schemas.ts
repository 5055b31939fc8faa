// What the Audit page reads from GET /audit (shared/usecases/audit/schemas.ts is the server's shape).
import * as z from 'zod';

export const auditEntrySchema = z.looseObject({
  at: z.string(),
  actor: z.looseObject({ subject: z.string(), name: z.string(), role: z.string(), via: z.string() }),
  method: z.string(),
  path: z.string(),
  route: z.string().optional(),
  status: z.number(),
  outcome: z.string(),
  target: z.string().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = z.looseObject({
  entries: z.array(auditEntrySchema),
  cursor: z.string().optional(),
});

export const AUDIT_PAGE = 50;

/** The query of one page: the first without a cursor, each next with the one the last page gave. */
export const auditPath = (cursor?: string): string =>
  `/audit?${new URLSearchParams({ limit: String(AUDIT_PAGE), ...(cursor !== undefined && { cursor }) })}`;
