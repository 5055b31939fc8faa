// The fuzz harness (issue 14, item 5): each input edge is a fast-check arbitrary of inputs and a
// check that sends one input through the real path (the Hono app, the use case or the handler, over
// DynamoDB Local) and says what came back and what it cost. Every case must end as a 4xx or a
// refused result, or as an acceptance; never a 5xx, a thrown error or an unhandled rejection; and a
// refused case must write nothing: no write unit consumed by the store (every product write goes
// through shared/store/table.ts, which counts them exactly), no email, SMS, bus event or run.
// `npm test` runs FUZZ_RUNS (default 60) cases per edge; `npm run test:fuzz` runs 10,000.
import fc from 'fast-check';

/** Cases per edge: small in `npm test`, 10,000 in `npm run test:fuzz`. */
export const FUZZ_RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? 60) || 60);
/** Fixed in `npm test` so a failure reproduces; FUZZ_SEED overrides it. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 14_005);

/** What one case did. */
export interface Outcome {
  /** The HTTP status, when the edge is HTTP. */
  status?: number;
  /** Refused: a 4xx, a refused result or an exception the caller maps to a refusal (exit 1). */
  refused: boolean;
  /** Write units plus effects (emails, SMS, bus events, runs started) the case caused. */
  wrote: number;
  /** Why a refused-looking answer is wrong, e.g. a 4xx without a problem body. */
  problem?: string;
}

export interface Tally {
  edge: string;
  cases: number;
  refused: number;
  accepted: number;
  fivexx: number;
  /** Refused cases that wrote anything (must be 0). */
  refusedWrites: number;
  statuses: Map<string, number>;
}

export class FuzzViolation extends Error {}

/** Write units the store consumed plus effects: the edge's footprint. */
export type Footprint = () => number;

/**
 * Runs `runs` cases of one edge and returns its tally; throws (with fast-check's shrunk
 * counterexample and seed) on the first 5xx, exception, unhandled rejection or refused write.
 */
export async function fuzzEdge<T>(
  edge: string,
  arbitrary: fc.Arbitrary<T>,
  check: (input: T) => Promise<Outcome>,
  runs = FUZZ_RUNS,
): Promise<Tally> {
  const tally: Tally = {
    edge,
    cases: 0,
    refused: 0,
    accepted: 0,
    fivexx: 0,
    refusedWrites: 0,
    statuses: new Map(),
  };
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => void rejections.push(reason);
  process.on('unhandledRejection', onRejection);
  try {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (input) => {
        const out = await check(input);
        tally.cases++;
        const key = out.status !== undefined ? String(out.status) : out.refused ? 'refused' : 'accepted';
        tally.statuses.set(key, (tally.statuses.get(key) ?? 0) + 1);
        if (out.refused) tally.refused++;
        else tally.accepted++;
        if (out.status !== undefined && out.status >= 500) {
          tally.fivexx++;
          throw new FuzzViolation(`${edge}: answered ${out.status}`);
        }
        if (out.refused && out.wrote !== 0) {
          tally.refusedWrites++;
          throw new FuzzViolation(`${edge}: refused (${key}) but wrote ${out.wrote}`);
        }
        if (out.problem) throw new FuzzViolation(`${edge}: ${out.problem}`);
        // Let a rejection nobody awaited surface before the next case.
        await new Promise((done) => setImmediate(done));
        if (rejections.length > 0)
          throw new FuzzViolation(`${edge}: unhandled rejection ${String(rejections[0])}`);
      }),
      { numRuns: runs, seed: FUZZ_SEED },
    );
  } finally {
    process.off('unhandledRejection', onRejection);
  }
  return tally;
}

/** Runs `call` and reports the footprint it added. */
export async function measured<R>(footprint: Footprint, call: () => Promise<R>): Promise<[R, number]> {
  const before = footprint();
  const result = await call();
  return [result, footprint() - before];
}

/** Usually `good`, sometimes one of `bad`: keeps a case one mistake away from valid. */
export function mostly<T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>, weight = 4): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: good, weight }, { arbitrary: bad, weight: 1 });
}

/** The per-edge line `npm run test:fuzz` prints. */
export function tallyLine(t: Tally): string {
  return `fuzz ${t.edge}: ${t.cases} cases, ${t.fivexx} 5xx, ${t.refusedWrites} writes`;
}

/** The bench/RESULTS.md section of a fuzz run. */
export function resultsSection(tallies: readonly Tally[], runs: number, seed: number): string {
  const rows = tallies.map((t) => {
    const statuses = [...t.statuses]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    return `| ${t.edge} | ${t.cases} | ${t.refused} | ${t.accepted} | ${t.fivexx} | ${t.refusedWrites} | ${statuses} |`;
  });
  return [
    '## Fuzzing the input edges (`npm run test:fuzz`)',
    '',
    `${runs} generated cases per edge (seed ${seed}), each through the real path over DynamoDB Local:`,
    'the Hono app for HTTP edges, the import and campaign use cases, the inbound-sms handler.',
    'A refused case must write nothing (store write units, emails, SMS, bus events, runs started);',
    'no case may answer 5xx, throw or leave an unhandled rejection. `npm test` runs the same edges',
    'with fewer cases (test/emulator/fuzz/edges.test.ts).',
    '',
    '| edge | cases | refused | accepted | 5xx | refused with writes | answers |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    '```',
    ...tallies.map(tallyLine),
    '```',
  ].join('\n');
}
