import '../../local/polyfills.js';
import { StateMachine } from 'aws-local-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type StateMachineFromTemplate, stateMachineFromTemplate } from '../../local/assembly-asl.js';
import { localFunctionArn, parseTemplate } from '../../local/cfn-template.js';
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

  it('runs in aws-local-stepfunctions: states in order, the Map once per batch within MaxConcurrency', async () => {
    const batches = Array.from({ length: 20 }, (_, i) => ({
      batchId: `b${String(i).padStart(2, '0')}`,
      sendAt: new Date(Date.UTC(2026, 10, 26, 1, i)).toISOString(),
    }));
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
        return { runId: 'run-1', date: '2026-11-26', batches, planned: 20 };
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
      { overrides: { taskResourceLocalHandlers: handlers, waitTimeOverrides: { WaitForSendTime: 0 } } },
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
    expect(calls[0]?.input).toEqual({ scheduledTime: '2026-11-26T09:00:00Z' });
    expect(calls[1]?.input).toEqual({ runId: 'run-1', dates: ['2026-11-26'] });

    const sent = calls.filter((c) => c.state === 'SendBatch').map((c) => c.input);
    expect(sent).toHaveLength(batches.length);
    expect(sent).toEqual(expect.arrayContaining(batches.map((b) => ({ runId: 'run-1', ...b }))));
    expect(maxInFlight).toBeLessThanOrEqual(concurrency);
    expect(entered.filter((s) => s === 'WaitForSendTime')).toHaveLength(batches.length);

    // The Map discards its results: SummarizeRun sees the plan's runId; RunCompleted carries the summary.
    expect(calls.find((c) => c.state === 'SummarizeRun')?.input).toEqual({ runId: 'run-1' });
    expect(calls.find((c) => c.state === 'PublishRunCompleted')?.input).toMatchObject({
      Entries: [{ Source: 'touchpoint', DetailType: 'RunCompleted', Detail: summary }],
    });
  });
});
