// What the chunked import's steps pass each other through the state machine (and store as work
// files): one definition, parsed by the handler at the boundary and by each step reading a file.
import * as z from 'zod';

const count = z.number().int().nonnegative();
const range = z.object({ start: count, end: count });

/** The upload, pinned by the ETag the plan read: every later read requires it. */
export const chunkedJobSchema = z.object({
  importId: z.string().min(1),
  bucket: z.string().min(1),
  key: z.string().min(1),
  etag: z.string().min(1),
  kind: z.enum(['customers', 'contracts', 'events']),
  format: z.enum(['ndjson', 'csv']),
  /** CSV: the header record's bytes, read first by every chunk that does not start the file. */
  header: range.optional(),
});
export type ChunkedJob = z.infer<typeof chunkedJobSchema>;

export const chunkSchema = range.extend({ index: count, firstLine: z.number().int().positive() });
export type Chunk = z.infer<typeof chunkSchema>;

const lineErrorSchema = z.object({ line: z.number().int(), path: z.string(), message: z.string() });

/** A chunk's validation: written last, so its presence means the chunk was read to its end. */
export const chunkProblemsSchema = z.object({
  count,
  errorCount: count,
  errors: z.array(lineErrorSchema),
  /** The chunk could not be read as text (not UTF-8, …): the whole import is refused with this. */
  sourceError: z.string().optional(),
});
export type ChunkProblems = z.infer<typeof chunkProblemsSchema>;

/** One partition's duplicate ids across all chunks. */
export const duplicateProblemsSchema = z.object({ errorCount: count, errors: z.array(lineErrorSchema) });

/** The ids of one chunk in one partition, with their lines. */
export const chunkIdsSchema = z.array(z.tuple([z.string(), z.number().int().positive()]));

export const writeResultSchema = z.object({ written: count, newEvents: count, keptOptedOut: count });
export type WriteResult = z.infer<typeof writeResultSchema>;

/** The state machine's input to the importer function, one shape per step. */
export const importStepSchema = z.discriminatedUnion('step', [
  z.object({
    step: z.literal('plan'),
    importId: z.string().min(1),
    bucket: z.string().min(1),
    key: z.string().min(1),
  }),
  z.object({ step: z.literal('validate'), job: chunkedJobSchema, chunk: chunkSchema }),
  z.object({ step: z.literal('duplicates'), job: chunkedJobSchema, chunks: count, partition: count }),
  z.object({ step: z.literal('decide'), job: chunkedJobSchema, chunks: count, partitions: count }),
  z.object({ step: z.literal('write'), job: chunkedJobSchema, chunk: chunkSchema }),
  z.object({ step: z.literal('finish'), job: chunkedJobSchema, results: z.array(writeResultSchema) }),
  z.object({
    step: z.literal('fail'),
    importId: z.string().min(1),
    error: z.string().optional(),
    cause: z.string().optional(),
  }),
]);
export type ImportStep = z.infer<typeof importStepSchema>;
