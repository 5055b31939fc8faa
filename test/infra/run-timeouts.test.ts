import '../../local/polyfills.js';
import { StateMachine } from 'aws-local-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type StateMachineFromTemplate, stateMachineFromTemplate } from '../../local/assembly-asl.js';
import { type CfnTemplateJson, parseTemplate } from '../../local/cfn-template.js';
import { putEventsEntries } from '../../local/run-executor.js';
import { SYNTH_TIMEOUT_MS, synthTemplate } from './synth-helper.js';

// The definition states each task's timeout (its function's), so the local runner, which gives a
// Task without TimeoutSeconds 60 s, times tasks out where Lambda would.
let template: CfnTemplateJson;
let machine: StateMachineFromTemplate;
beforeAll(() => {
  template = parseTemplate(synthTemplate().template.toJSON());
  machine = stateMachineFromTemplate(template);
}, SYNTH_TIMEOUT_MS);

const TaskState = z.looseObject({ Type: z.literal('Task'), TimeoutSeconds: z.number().optional() });
const States = z.record(z.string(), z.looseObject({ Type: z.string() }));
const Nested = z.looseObject({ ItemProcessor: z.looseObject({ States }).optional() });
const FunctionTimeout = z.looseObject({ Timeout: z.number() });

/** Every Task state by name, nested Map states included. */
function tasksOf(states: z.infer<typeof States>): Map<string, z.infer<typeof TaskState>> {
  const out = new Map<string, z.infer<typeof TaskState>>();
  for (const [name, state] of Object.entries(states)) {
    const task = TaskState.safeParse(state);
    if (task.success) out.set(name, task.data);
    const nested = Nested.parse(state).ItemProcessor;
    if (nested) for (const [n, t] of tasksOf(nested.States)) out.set(n, t);
  }
  return out;
}

describe('run task timeouts', () => {
  it('gives every Lambda task its function timeout in the definition, so local runs do not stop at 60 s', () => {
    const tasks = tasksOf(States.parse(machine.definition.States));
    const lambdaTasks = machine.taskStates.filter((t) => t.kind === 'lambda');
    expect(lambdaTasks.length).toBeGreaterThanOrEqual(4);
    for (const info of lambdaTasks) {
      const fn = template.Resources[info.functionLogicalId ?? ''];
      const { Timeout } = FunctionTimeout.parse(fn?.Properties);
      expect({ state: info.stateName, timeout: tasks.get(info.stateName)?.TimeoutSeconds }).toEqual({
        state: info.stateName,
        timeout: Timeout,
      });
    }
    // PlanRun's 15 minutes: a day of 100,000 touches took longer than 5 locally (bench: run).
    expect(tasks.get('PlanRun')?.TimeoutSeconds).toBe(900);
  });

  it('fails a task slower than its TimeoutSeconds with States.Timeout in the local runner', async () => {
    const definition = structuredClone(machine.definition);
    const selectRun = TaskState.parse(definition.States.SelectRun);
    // A tiny timeout keeps the test quick; the runner honours whatever the definition states.
    Object.assign(definition.States, { SelectRun: { ...selectRun, TimeoutSeconds: 1 } });
    const runner = new StateMachine(definition, { validationOptions: { checkArn: false } });
    const never = () => new Promise<never>(() => {});
    // As every execution has, a name (SelectRun receives it).
    const execution = runner.run(
      { date: '2026-11-26' },
      {
        context: { Execution: { Name: 'run-1' } },
        overrides: { taskResourceLocalHandlers: { SelectRun: never } },
      },
    );
    await expect(execution.result).rejects.toMatchObject({ cause: { name: 'States.Timeout' } });
  });
});

describe('PublishRunCompleted, locally', () => {
  it('publishes the run summary as the detail, as the template declares it, not the Entries wrapper', async () => {
    const summary = { runId: 'run-1', sent: 3, suppressed: 1, failed: 0 };
    const published: unknown[] = [];
    const runner = new StateMachine(machine.definition, { validationOptions: { checkArn: false } });
    const execution = runner.run(
      { date: '2026-11-26' },
      {
        context: { Execution: { Name: 'run-1' } },
        overrides: {
          taskResourceLocalHandlers: {
            SelectRun: () => ({ runId: 'run-1', date: '2026-11-26' }),
            PlanRun: () => ({ runId: 'run-1', chunks: [] }),
            SendBatch: () => ({}),
            SummarizeRun: () => summary,
            PublishRunCompleted: (input: unknown) => {
              published.push(...putEventsEntries(input));
              return { Entries: [{ EventId: 'e-1' }], FailedEntryCount: 0 };
            },
          },
        },
      },
    );
    const output = await execution.result;
    expect(output).toEqual(summary);
    expect(published).toEqual([{ source: 'touchpoint', detailType: 'RunCompleted', detail: output }]);
  });
});
