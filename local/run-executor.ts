// Runs the synthesized state machine's ASL in aws-local-stepfunctions, each Task mapped to the
// same handler module Lambda runs (found through the 'touchpoint:entry' metadata), composed with
// the embedded dependencies. The Wait for each batch's send time is skipped: locally the clock is
// simulated and the batch runs at its sendAt. An execution that fails, times out or is stopped
// publishes Step Functions' status event to the template's default-bus rules, as the cloud does
// (RunExecutionEnded marks its run failed), before executeRun rejects.
import './polyfills.js';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ExecutionAbortedError,
  ExecutionTimeoutError,
  type RunOptions,
  StateMachine,
} from 'aws-local-stepfunctions';
import { ulid } from 'ulid';
import { z } from 'zod';
import type { Deps } from '../functions/commons/deps.js';
import { EVENT_NAMES, type EXECUTION_ENDED_BADLY } from '../shared/config/events.js';
import type { Clock } from '../shared/ports/clock.js';
import type { DomainEvent } from '../shared/ports/events.js';
import { stateMachineFromTemplate } from './assembly-asl.js';
import type { CfnTemplate } from './assembly-tables.js';
import { busRulesFromTemplate, RuleBus } from './bus-rules.js';
import { LOCAL_ENV, resolveString } from './cfn-template.js';
import { PROJECT_ROOT } from './runtime.js';

type TaskHandler = (input: unknown) => Promise<unknown>;
type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type JsonHandler = LocalHandlers[string];
/** One entry of the runner's event log (StateEntered, StateRetried, MapIterationStarted, …). */
export type ExecutionEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

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

type EndedBadly = (typeof EXECUTION_ENDED_BADLY)[number];

/** The runner wraps a state's error in ExecutionError: the cause names what failed. */
const errorName = (error: unknown): string => {
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error ? cause.name : error instanceof Error ? error.name : 'Error';
};

const endStatus = (error: unknown): EndedBadly =>
  error instanceof ExecutionAbortedError
    ? 'ABORTED'
    : error instanceof ExecutionTimeoutError
      ? 'TIMED_OUT'
      : 'FAILED';

/**
 * Step Functions' "Execution Status Change" event on the default bus, through the template's rules
 * for it (RunExecutionEnded → summarize-run), delivered before this resolves.
 */
async function publishExecutionEnded(
  template: CfnTemplate,
  deps: Deps,
  execution: {
    machineLogicalId: string;
    name: string;
    input: unknown;
    startedAt: string;
    status: EndedBadly;
  },
  error: unknown,
): Promise<void> {
  const rules = busRulesFromTemplate(template).filter((r) => r.bus === 'default');
  const bus = new RuleBus({ inner: { publish: async () => {} }, rules, deps, backoffMs: () => 0 });
  const stateMachineArn = resolveString(template, { Ref: execution.machineLogicalId });
  const { region, account } = LOCAL_ENV;
  await bus.defaultBus.publish([
    {
      source: EVENT_NAMES.statesSource,
      detailType: EVENT_NAMES.executionStatusChange,
      detail: {
        executionArn: `arn:aws:states:${region}:${account}:execution:${execution.machineLogicalId}:${execution.name}`,
        stateMachineArn,
        name: execution.name,
        status: execution.status,
        startDate: Date.parse(execution.startedAt),
        stopDate: deps.clock.now().getTime(),
        input: JSON.stringify(execution.input),
        ...(execution.status === 'FAILED' && {
          error: errorName(error),
        }),
      },
    },
  ]);
  await bus.settled();
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
  /**
   * `signal` stops the execution as StopExecution does: no state starts after it (test/faults).
   * `onEvent` sees every entry of the runner's event log (the run-scale bench counts transitions).
   */
  control: { signal?: AbortSignal; onEvent?: (event: ExecutionEvent) => void } = {},
): Promise<ExecutionResult> {
  const { logicalId, definition, taskStates, waitStates } = stateMachineFromTemplate(template);
  const handlers = await loadHandlers(template, deps);
  const machine = new StateMachine(definition, { validationOptions: { checkPaths: true, checkArn: false } });
  // As in the cloud, an execution started for a run is named by the run's id; one started without
  // (a schedule's firing) gets a name, which SelectRun takes as the run's id.
  const name = input.runId ?? ulid(deps.clock.now().getTime());
  const startedAt = deps.clock.now().toISOString();
  const execution = machine.run(input, {
    context: { Execution: { Input: input, Name: name, StartTime: startedAt } },
    overrides: {
      taskResourceLocalHandlers: handlers,
      waitTimeOverrides: Object.fromEntries(waitStates.map((s) => [s, 0])),
      retryIntervalOverrides: Object.fromEntries(taskStates.map((t) => [t.stateName, 0])),
    },
  });
  const stop = () => execution.abort();
  if (control.signal?.aborted) stop();
  control.signal?.addEventListener('abort', stop, { once: true });
  const { onEvent } = control;
  const watching =
    onEvent &&
    (async () => {
      for await (const event of execution.eventLogs) onEvent(event);
    })();
  try {
    const output: unknown = await execution.result;
    await watching;
    return { output };
  } catch (e) {
    const status = endStatus(e);
    await publishExecutionEnded(
      template,
      deps,
      { machineLogicalId: logicalId, name, input, startedAt, status },
      e,
    );
    throw new RunExecutionError(
      `the run's state machine failed: ${e instanceof Error ? e.message : String(e)}`,
      e,
    );
  } finally {
    control.signal?.removeEventListener('abort', stop);
  }
}
