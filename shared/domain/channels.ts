// The small enums every layer names, apart from documents.ts so that a CLI client (which reads API
// answers with them) loads neither libphonenumber's metadata nor luxon to print a ledger.
import * as z from 'zod';

export const channel = z.enum(['email', 'sms']);
export type Channel = z.infer<typeof channel>;
export const CHANNELS: readonly Channel[] = channel.options;

export const suppressionReason = z.enum(['bounced', 'complained', 'unsubscribed']);
export type SuppressionReason = z.infer<typeof suppressionReason>;
