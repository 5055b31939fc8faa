// Bench 3: Step Functions state transitions (what a Standard workflow is billed by) per run, from
// executing the REAL synthesized ASL in aws-local-stepfunctions. The tasks are stubs that return
// the shapes our handlers return, so only the orchestration is measured: N touches as batches of
// 50 in one Map (ours) vs. one Map item per touch.
import '../local/polyfills.js';
import { type RunOptions, StateMachine } from 'aws-local-stepfunctions';
import { RUN_STATES } from '../infra/constructs/runs.js';
import { stateMachineFromTemplate } from '../local/assembly-asl.js';
import type { CfnTemplate } from '../local/assembly-tables.js';
import { sendChunksOf } from '../shared/usecases/run/send-chunks.js';

type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

export interface TransitionsResult {
  touches: number;
  batched: { items: number; transitions: number };
  perTouch: { items: number; transitions: number };
}

async function transitionsFor(template: CfnTemplate, items: number): Promise<number> {
  const { definition, taskStates, waitStates } = stateMachineFromTemplate(template);
  const sendAt = '2026-05-17T09:00:00.000Z';

  const stub: LocalHandlers = {
    [RUN_STATES.selectRun]: async () => ({ runId: 'r', date: '2026-05-17' }),
    [RUN_STATES.planRun]: async () => ({
      runId: 'r',
      date: '2026-05-17',
      chunks: sendChunksOf(Array.from({ length: items }, () => ({ sendAt }))).map((c) => ({ ...c })),
      planned: items,
      suppressed: 0,
    }),
    [RUN_STATES.sendBatch]: async () => ({ sent: 1 }),
    [RUN_STATES.summarizeRun]: async () => ({ runId: 'r', date: '2026-05-17', summary: {} }),
    [RUN_STATES.publishRunCompleted]: async () => ({ Entries: [{ EventId: 'local' }], FailedEntryCount: 0 }),
  };
  const handlers: LocalHandlers = Object.fromEntries(
    taskStates.map((t) => [t.stateName, stub[t.stateName] ?? (async () => ({}))]),
  );
  const machine = new StateMachine(definition, { validationOptions: { checkPaths: true, checkArn: false } });
  const execution = machine.run(
    { date: '2026-05-17' },
    {
      context: { Execution: { Name: 'r' } },
      overrides: {
        taskResourceLocalHandlers: handlers,
        waitTimeOverrides: Object.fromEntries(waitStates.map((s) => [s, 0])),
      },
    },
  );
  let transitions = 0;
  const counting = (async () => {
    for await (const e of execution.eventLogs)
      if (e.type === 'StateEntered' || e.type === 'StateRetried') transitions++;
  })();
  await execution.result;
  await counting;
  return transitions;
}

export async function benchTransitions(
  template: CfnTemplate,
  touches: number,
  batchSize: number,
): Promise<TransitionsResult> {
  const batchedItems = Math.ceil(touches / batchSize);
  return {
    touches,
    batched: { items: batchedItems, transitions: await transitionsFor(template, batchedItems) },
    perTouch: { items: touches, transitions: await transitionsFor(template, touches) },
  };
}
