// Runs the synthesized state machine's ASL in aws-local-stepfunctions, each Task mapped to the
// same handler module Lambda runs (found through the 'touchpoint:entry' metadata), composed with
// the embedded dependencies. The Wait for each batch's send time is skipped: locally the clock is
// simulated and the batch runs at its sendAt.
import './polyfills.js';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type RunOptions, StateMachine } from 'aws-local-stepfunctions';
import { z } from 'zod';
import type { Deps } from '../functions/commons/deps.js';
import type { Clock } from '../shared/ports/clock.js';
import type { DomainEvent } from '../shared/ports/events.js';
import { stateMachineFromTemplate } from './assembly-asl.js';
import type { CfnTemplate } from './assembly-tables.js';
import { PROJECT_ROOT } from './runtime.js';

type TaskHandler = (input: unknown) => Promise<unknown>;
type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type JsonHandler = LocalHandlers[string];

/** What a Lambda returns goes through JSON on the wire; the local run passes it the same way. */
const overJson =
  (fn: TaskHandler): JsonHandler =>
  async (input) =>
    JSON.parse(JSON.stringify((await fn(input)) ?? null));

const handlerModule = z.object({
  createHandler: z.custom<(deps: Deps) => TaskHandler>(
    (v) => typeof v === 'function',
    'must export createHandler(deps)',
  ),
});

export class RunExecutionError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'RunExecutionError';
  }
}

const sendAtOf = z.object({ sendAt: z.string() });

/** The simulated clock: a task that receives a send time runs at that instant. */
function clockFor(input: unknown, fallback: Clock): Clock {
  const parsed = sendAtOf.safeParse(input);
  return parsed.success ? { now: () => new Date(parsed.data.sendAt) } : fallback;
}

async function loadHandlers(template: CfnTemplate, deps: Deps): Promise<Record<string, JsonHandler>> {
  const { taskStates } = stateMachineFromTemplate(template);
  const handlers: Record<string, JsonHandler> = {};
  for (const task of taskStates) {
    if (task.kind === 'putEvents') {
      handlers[task.stateName] = overJson(async (input) => {
        const events = putEventsEntries(input);
        await deps.events.publish(events);
        return { Entries: events.map((_, i) => ({ EventId: `local-${i}` })), FailedEntryCount: 0 };
      });
      continue;
    }
    if (!task.entry) throw new RunExecutionError(`task ${task.stateName} has no 'touchpoint:entry' metadata`);
    const mod = handlerModule.parse(await import(pathToFileURL(join(PROJECT_ROOT, task.entry)).href));
    handlers[task.stateName] = overJson((input) =>
      mod.createHandler({ ...deps, clock: clockFor(input, deps.clock) })(input),
    );
  }
  return handlers;
}

const PutEventsInput = z.object({
  Entries: z
    .array(
      z.looseObject({
        Source: z.string().min(1),
        DetailType: z.string().min(1),
        // EventBridge takes Detail as a JSON object (or its text); the state's `Detail.$` resolves to one.
        Detail: z.union([z.record(z.string(), z.unknown()), z.string()]),
      }),
    )
    .min(1),
});

/**
 * The events a `putEvents` Task publishes: its effective input is the state's Parameters resolved
 * against the state input (`Detail.$` included), so each entry is published as the template declares it.
 */
export function putEventsEntries(input: unknown): DomainEvent[] {
  const parsed = PutEventsInput.safeParse(input);
  if (!parsed.success) {
    throw new RunExecutionError(`putEvents: not an Entries list: ${parsed.error.message}`);
  }
  return parsed.data.Entries.map((entry) => ({
    source: entry.Source,
    detailType: entry.DetailType,
    detail: typeof entry.Detail === 'string' ? detailFromText(entry.Detail) : entry.Detail,
  }));
}

function detailFromText(text: string): Record<string, unknown> {
  const parsed = z.record(z.string(), z.unknown()).safeParse(JSON.parse(text));
  if (!parsed.success) throw new RunExecutionError('putEvents: Detail is not a JSON object');
  return parsed.data;
}

export interface ExecutionResult {
  output: unknown;
}

export async function executeRun(
  template: CfnTemplate,
  deps: Deps,
  input: {
    date?: string;
    campaignId?: string;
    scheduledTime?: string;
    /** A daily schedule's zone and day count, as its input carries them (shared/domain/schedule-dates.ts). */
    scheduleTimeZone?: string;
    daysAhead?: number;
    runId?: string;
    /** `intraday`: the hourly run for event and contract-start anchors (docs/scheduling.md). */
    kind?: 'daily' | 'intraday';
  },
): Promise<ExecutionResult> {
  const { definition, taskStates, waitStates } = stateMachineFromTemplate(template);
  const handlers = await loadHandlers(template, deps);
  const machine = new StateMachine(definition, { validationOptions: { checkPaths: true, checkArn: false } });
  const execution = machine.run(input, {
    // As in the cloud, an execution started for a run is named by the run's id.
    ...(input.runId && {
      context: {
        Execution: { Input: input, Name: input.runId, StartTime: deps.clock.now().toISOString() },
      },
    }),
    overrides: {
      taskResourceLocalHandlers: handlers,
      waitTimeOverrides: Object.fromEntries(waitStates.map((s) => [s, 0])),
      retryIntervalOverrides: Object.fromEntries(taskStates.map((t) => [t.stateName, 0])),
    },
  });
  try {
    return { output: await execution.result };
  } catch (e) {
    throw new RunExecutionError(
      `the run's state machine failed: ${e instanceof Error ? e.message : String(e)}`,
      e,
    );
  }
}
