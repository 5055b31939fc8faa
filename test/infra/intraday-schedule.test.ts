// Issue 10, item 2: the hourly intraday schedule (docs/scheduling.md, "Events on time") starts the
// same state machine with `{ kind: 'intraday', scheduledTime }`, and what it sends parses into an
// intraday run of the firing.
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { nextFireTimes, renderScheduleInput, schedulesFromTemplate } from '../../local/assembly-schedules.js';
import { parseTemplate } from '../../local/cfn-template.js';
import { startRun, startRunInput } from '../../shared/usecases/run/start-run.js';
import { manualClock, memoryStores } from '../support/fakes/memory-stores.js';
import { resourcesOfType, SYNTH_TIMEOUT_MS, synthTemplate } from './synth-helper.js';

let template: Template;
beforeAll(() => {
  template = synthTemplate().template;
}, SYNTH_TIMEOUT_MS);

describe('the intraday schedule', () => {
  it('starts the run machine every UTC hour with kind intraday, retries and the DLQ', () => {
    const [[machineId] = ['']] = resourcesOfType(template, 'AWS::StepFunctions::StateMachine');
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 * * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      Target: {
        Arn: { Ref: machineId },
        Input: JSON.stringify({ kind: 'intraday', scheduledTime: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: Match.objectLike({ MaximumEventAgeInSeconds: 3600 }),
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Dlq'), 'Arn'] } },
        RoleArn: Match.anyValue(),
      },
    });
  });

  it('fires on the hour and its input starts an intraday run of the firing, not a daily run of D+1', async () => {
    const intraday = schedulesFromTemplate(parseTemplate(template.toJSON())).find((s) =>
      s.logicalId.includes('IntradayRun'),
    );
    if (!intraday) throw new Error('no intraday schedule in the template');
    const fires = nextFireTimes(intraday, new Date('2026-12-10T00:30:00Z'), new Date('2026-12-10T03:00:00Z'));
    expect(fires.map((d) => d.toISOString())).toEqual([
      '2026-12-10T01:00:00.000Z',
      '2026-12-10T02:00:00.000Z',
    ]);
    const clock = manualClock('2026-12-10T01:00:00Z');
    const store = memoryStores(clock);
    const input: unknown = JSON.parse(renderScheduleInput(intraday, fires[0] ?? new Date(0)));
    const started = await startRun({ store, clock }, startRunInput.parse(input));
    expect(started).toMatchObject({
      date: '2026-12-10',
      intraday: { at: '2026-12-10T01:00:00.000Z' },
    });
    expect(started.catchUp).toBeUndefined();
    expect(await store.runs.getRunMeta(started.runId)).toMatchObject({ intraday: true });
  });
});
