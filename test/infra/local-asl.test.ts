import '../../local/polyfills.js';
import { StateMachine } from 'aws-local-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHUNKS_IN_FLIGHT } from '../../infra/constructs/runs.js';
import { type StateMachineFromTemplate, stateMachineFromTemplate } from '../../local/assembly-asl.js';
import { localFunctionArn, parseTemplate } from '../../local/cfn-template.js';
import { sendChunksOf } from '../../shared/usecases/run/send-chunks.js';
import { SYNTH_TIMEOUT_MS, synthTemplate, TEST_CONTEXT } from './synth-helper.js';

// The local runtime runs the synthesized ASL itself: prove the reader yields ASL that
// aws-local-stepfunctions executes with the same states, in the same order, as the cloud.
let machine: StateMachineFromTemplate;
beforeAll(() => {
  machine = stateMachineFromTemplate(parseTemplate(synthTemplate().template.toJSON()));
}, SYNTH_TIMEOUT_MS);

const concurrency = Number(TEST_CONTEXT.sendConcurrency);

describe('stateMachineFromTemplate', () => {
  it('resolves every intrinsic into plain ASL', () => {
    const text = JSON.stringify(machine.definition);
    expect(text).not.toMatch(/Fn::|"Ref"/);
    expect(text).toContain('arn:aws:states:::events:putEvents');
  });

  it('reads the run machine when the template holds another state machine too, instead of refusing the template', () => {
    const template = parseTemplate(synthTemplate().template.toJSON());
    const [id, run] =
      Object.entries(template.Resources).find(
        ([k, r]) => k.startsWith('RunsRunMachine') && r.Type === 'AWS::StepFunctions::StateMachine',
      ) ?? [];
    if (id === undefined || run === undefined) throw new Error('no run machine in the template');
    const withAnother = parseTemplate({
      ...template,
      Resources: { ...template.Resources, AnotherMachine0A1B2C3D: run },
    });
    expect(stateMachineFromTemplate(withAnother).logicalId).toBe(id);
    expect(stateMachineFromTemplate(withAnother, 'AnotherMachine').logicalId).toBe('AnotherMachine0A1B2C3D');
    expect(() => stateMachineFromTemplate(withAnother, 'Nope')).toThrow(/found 0/);
  });

  it('lists the task states, nested Map ones included, with their functions and entries', () => {
    const byName = Object.fromEntries(machine.taskStates.map((t) => [t.stateName, t]));
    expect(Object.keys(byName).sort()).toEqual(
      ['MarkRunFailed', 'PlanRun', 'PublishRunCompleted', 'SelectRun', 'SendBatch', 'SummarizeRun'].sort(),
    );
    expect(byName.MarkRunFailed?.entry).toBe('functions/summarize-run.ts');
    expect(byName.SendBatch).toMatchObject({ kind: 'lambda', entry: 'functions/send-batch.ts' });
    expect(byName.SelectRun?.entry).toBe('functions/select-run.ts');
    expect(byName.PublishRunCompleted).toEqual({ stateName: 'PublishRunCompleted', kind: 'putEvents' });
    const sendBatchId = byName.SendBatch?.functionLogicalId ?? '';
    expect(JSON.stringify(machine.definition)).toContain(localFunctionArn(sendBatchId));
    expect(machine.waitStates).toEqual(['WaitForSendTime']);
  });

  it('runs in aws-local-stepfunctions: states in order, each chunk a child, each batch once, within MaxConcurrency', async () => {
    // 20 batches at two send times (12 + 8), 5 to a chunk: 3 + 2 children.
    const at = (h: number) => new Date(Date.UTC(2026, 10, 26, h)).toISOString();
    const batches = [
      ...Array.from({ length: 12 }, (_, index) => ({ sendAt: at(1), index })),
      ...Array.from({ length: 8 }, (_, index) => ({ sendAt: at(9), index })),
    ];
    const chunks = sendChunksOf(batches, 5).map((c) => ({ ...c }));
    const calls: { state: string; input: unknown }[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const summary = { runId: 'run-1', sent: batches.length, suppressed: 0, failed: 0 };
    const handlers = {
      SelectRun: (input: unknown) => {
        calls.push({ state: 'SelectRun', input });
        return { runId: 'run-1', dates: ['2026-11-26'] };
      },
      PlanRun: (input: unknown) => {
        calls.push({ state: 'PlanRun', input });
        return { runId: 'run-1', date: '2026-11-26', chunks, planned: 20 };
      },
      SendBatch: async (input: unknown) => {
        calls.push({ state: 'SendBatch', input });
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        // Yield to the event loop so other iterations may start while this one is "sending".
        await new Promise<void>((resolve) => setImmediate(resolve));
        inFlight -= 1;
        return { sent: 1 };
      },
      SummarizeRun: (input: unknown) => {
        calls.push({ state: 'SummarizeRun', input });
        return summary;
      },
      PublishRunCompleted: (input: unknown) => {
        calls.push({ state: 'PublishRunCompleted', input });
        return { Entries: [{ EventId: 'e-1' }], FailedEntryCount: 0 };
      },
    };

    const runner = new StateMachine(machine.definition, { validationOptions: { checkArn: false } });
    const execution = runner.run(
      { scheduledTime: '2026-11-26T09:00:00Z' },
      {
        context: { Execution: { Name: 'exec-1' } },
        overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: { WaitForSendTime: 0 } },
      },
    );
    const entered: string[] = [];
    const logs = (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === 'StateEntered') entered.push(event.state.name);
      }
    })();
    const output = await execution.result;
    await logs;

    expect(output).toEqual(summary);
    const order = calls.map((c) => c.state).filter((s, i, all) => s !== all[i - 1]);
    expect(order).toEqual(['SelectRun', 'PlanRun', 'SendBatch', 'SummarizeRun', 'PublishRunCompleted']);
    // SelectRun gets the execution's name beside the input: the run's id when the input names none.
    expect(calls[0]?.input).toEqual({
      input: { scheduledTime: '2026-11-26T09:00:00Z' },
      execution: 'exec-1',
    });
    expect(calls[1]?.input).toEqual({ runId: 'run-1', dates: ['2026-11-26'] });

    const sent = calls.filter((c) => c.state === 'SendBatch').map((c) => c.input);
    expect(sent).toHaveLength(batches.length);
    expect(sent).toEqual(expect.arrayContaining(batches.map((b) => ({ runId: 'run-1', ...b }))));
    expect(maxInFlight).toBeLessThanOrEqual(CHUNKS_IN_FLIGHT * concurrency);
    expect(chunks).toHaveLength(5);
    expect(entered.filter((s) => s === 'WaitForSendTime')).toHaveLength(chunks.length);

    // The Map discards its results: SummarizeRun sees the plan's runId; RunCompleted carries the summary.
    expect(calls.find((c) => c.state === 'SummarizeRun')?.input).toEqual({ runId: 'run-1' });
    expect(calls.find((c) => c.state === 'PublishRunCompleted')?.input).toMatchObject({
      Entries: [{ Source: 'touchpoint', DetailType: 'RunCompleted', Detail: summary }],
    });
  });
});
