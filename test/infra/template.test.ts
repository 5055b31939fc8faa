import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYMENT_HANDLER_ID_PREFIX } from '../../infra/constructs/console-hosting.js';
import {
  CONTRACT_INDEX_ATTRS,
  EVENT_INDEX_ATTRS,
  index,
  PROFILE_INDEX_ATTRS,
} from '../../shared/store/keys.js';
import { resourcesOfType, SYNTH_TIMEOUT_MS, synthTemplate, TEST_CONTEXT } from './synth-helper.js';

// What the synthesized template promises, asserted resource by resource (no snapshots).
let template: Template;
beforeAll(() => {
  template = synthTemplate().template;
}, SYNTH_TIMEOUT_MS);

describe('store', () => {
  it('is one on-demand table with PITR and encryption at rest', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
    });
  });

  it('declares every day index with a narrow projection, never ALL', () => {
    const [[, table] = ['', {}]] = resourcesOfType(template, 'AWS::DynamoDB::GlobalTable');
    const gsis = Reflect.get(table, 'GlobalSecondaryIndexes');
    const lsis = Reflect.get(table, 'LocalSecondaryIndexes');
    expect(Array.isArray(gsis) && Array.isArray(lsis)).toBe(true);
    const projections = new Map<string, unknown>(
      [...(Array.isArray(gsis) ? gsis : []), ...(Array.isArray(lsis) ? lsis : [])].map((i: unknown) => [
        String(Reflect.get(Object(i), 'IndexName')),
        Reflect.get(Object(i), 'Projection'),
      ]),
    );
    expect([...projections.keys()].sort()).toEqual(Object.values(index).sort());
    const include = (attrs: readonly string[]) => ({
      ProjectionType: 'INCLUDE',
      NonKeyAttributes: [...attrs],
    });
    expect(projections.get(index.byContractEnd)).toEqual(include(CONTRACT_INDEX_ATTRS));
    expect(projections.get(index.byContractStart)).toEqual(include(CONTRACT_INDEX_ATTRS));
    expect(projections.get(index.byEventDay)).toEqual(include(EVENT_INDEX_ATTRS));
    // The customer day indexes carry the profile document: a day's profiles are read by the Query,
    // billed by their bytes, not by a BatchGet at 4 KB each.
    expect(projections.get(index.byLastActivityProfile)).toEqual(include(PROFILE_INDEX_ATTRS));
    expect(projections.get(index.byBirthdayProfile)).toEqual(include(PROFILE_INDEX_ATTRS));
    for (const name of [index.byCampaign, index.byChannelDay]) {
      expect(projections.get(name)).toEqual({ ProjectionType: 'KEYS_ONLY' });
    }
  });
});

describe('functions', () => {
  const entries = [
    'functions/select-run.ts',
    'functions/plan-run.ts',
    'functions/send-batch.ts',
    'functions/summarize-run.ts',
    'functions/ingest-event.ts',
    'functions/delivery-events.ts',
    'functions/api.ts',
    'functions/import-upload.ts',
    'functions/inbound-sms.ts',
  ];

  // The runtime functions: BucketDeployment's handler runs at deploy time only (console-hosting.test.ts).
  const runtimeFunctions = () =>
    Template.fromJSON({
      Resources: Object.fromEntries(
        Object.entries(template.findResources('AWS::Lambda::Function')).filter(
          ([id]) => !id.startsWith(DEPLOYMENT_HANDLER_ID_PREFIX),
        ),
      ),
    });

  it('every function is arm64 on nodejs24.x with X-Ray, JSON logs in its own group and a DLQ', () => {
    const fns = Object.values(runtimeFunctions().findResources('AWS::Lambda::Function'));
    expect(fns).toHaveLength(entries.length);
    runtimeFunctions().allResourcesProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      Runtime: 'nodejs24.x',
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON', LogGroup: { Ref: Match.anyValue() } }),
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Dlq'), 'Arn'] } },
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: Match.stringLikeRegexp('^touchpoint-'),
          POWERTOOLS_METRICS_NAMESPACE: 'Touchpoint',
          TOUCHPOINT_ENV: 'test',
        }),
      },
    });
  });

  it('records each source entry for the local runtime', () => {
    const recorded = Object.values(runtimeFunctions().findResources('AWS::Lambda::Function')).map((r) =>
      Reflect.get(Object(Reflect.get(r, 'Metadata')), 'touchpoint:entry'),
    );
    expect(recorded.sort()).toEqual([...entries].sort());
  });

  it('every DLQ is encrypted and refuses plain HTTP', () => {
    const queues = resourcesOfType(template, 'AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThanOrEqual(entries.length + 2);
    for (const [, q] of queues) expect(q.SqsManagedSseEnabled).toBe(true);
    template.resourceCountIs('AWS::SQS::QueuePolicy', queues.length);
    template.allResourcesProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('send-batch gets the channel settings it sends with, and no bus (it publishes nothing)', () => {
    const [[, sendBatch] = ['', {}]] = Object.entries(
      template.findResources('AWS::Lambda::Function', {
        Metadata: { 'touchpoint:entry': 'functions/send-batch.ts' },
      }),
    );
    const variables = Reflect.get(
      Object(Reflect.get(Object(Reflect.get(sendBatch, 'Properties')), 'Environment')),
      'Variables',
    );
    expect(variables).toMatchObject({
      SENDER_EMAIL: TEST_CONTEXT.senderEmail,
      SMS_ORIGINATION_IDENTITY: TEST_CONTEXT.smsOriginationIdentity,
      // The identity's MPS from the stack settings: every sender shares it (rate-budget.ts).
      SMS_MAX_PER_SECOND: TEST_CONTEXT.smsMaxPerSecond,
      SES_CONFIGURATION_SET: { Ref: expect.anything() },
      TABLE_NAME: { Ref: expect.anything() },
    });
    expect(variables).not.toHaveProperty('EVENT_BUS_NAME');
  });
});

describe('run state machine', () => {
  const definition = () => {
    const [[, machine] = ['', {}]] = resourcesOfType(template, 'AWS::StepFunctions::StateMachine');
    // The tokens inside are irrelevant here: join the literal parts and keep the tokens' markers.
    const join = Reflect.get(Object(machine.DefinitionString), 'Fn::Join');
    const parts: unknown[] = Array.isArray(join) && Array.isArray(join[1]) ? join[1] : [];
    return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(''));
  };

  it('runs the named states in order: a Distributed Map over send chunks, each chunk a Standard child with its batches bounded by sendConcurrency', () => {
    const asl = definition();
    expect(asl.StartAt).toBe('SelectRun');
    // The execution's name goes to SelectRun with its input: the run takes it as its id.
    expect(asl.States.SelectRun).toMatchObject({
      Next: 'PlanRun',
      Parameters: { 'input.$': '$', 'execution.$': '$$.Execution.Name' },
    });
    expect(asl.States.PlanRun.Next).toBe('SendBatches');
    const map = asl.States.SendBatches;
    expect(map).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.chunks',
      MaxConcurrency: 2,
      ResultPath: null,
      Next: 'SummarizeRun',
      ItemSelector: {
        'runId.$': '$.runId',
        'sendAt.$': '$$.Map.Item.Value.sendAt',
        'first.$': '$$.Map.Item.Value.first',
        'last.$': '$$.Map.Item.Value.last',
      },
    });
    // Children are Standard executions: a chunk waits for its send time (up to ~75 h).
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map.ItemProcessor.StartAt).toBe('WaitForSendTime');
    expect(map.ItemProcessor.States.WaitForSendTime).toMatchObject({
      Type: 'Wait',
      TimestampPath: '$.sendAt',
      Next: 'ChunkBatches',
    });
    expect(map.ItemProcessor.States.ChunkBatches).toMatchObject({
      Type: 'Pass',
      Parameters: { 'batches.$': 'States.ArrayRange($.first, $.last, 1)' },
      Next: 'SendChunk',
    });
    const chunk = map.ItemProcessor.States.SendChunk;
    expect(chunk).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.batches',
      MaxConcurrency: Number(TEST_CONTEXT.sendConcurrency),
      ResultPath: null,
      End: true,
      ItemSelector: { 'runId.$': '$.runId', 'sendAt.$': '$.sendAt', 'index.$': '$$.Map.Item.Value' },
    });
    expect(chunk.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'INLINE' });
    expect(chunk.ItemProcessor.States.SendBatch.End).toBe(true);
    expect(asl.States.SummarizeRun).toMatchObject({
      Parameters: { 'runId.$': '$.runId' },
      Next: 'PublishRunCompleted',
    });
    expect(asl.States.PublishRunCompleted).toMatchObject({
      End: true,
      Parameters: { Entries: [{ Source: 'touchpoint', DetailType: 'RunCompleted', 'Detail.$': '$' }] },
    });
  });

  it('marks the run failed when its execution fails, times out or is stopped outside the catches (Step Functions status events → summarize-run, with a DLQ)', () => {
    const [[machineId] = ['']] = resourcesOfType(template, 'AWS::StepFunctions::StateMachine');
    const [[summarizeId] = ['']] = Object.entries(
      template.findResources('AWS::Lambda::Function', {
        Metadata: { 'touchpoint:entry': 'functions/summarize-run.ts' },
      }),
    );
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.absent(),
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [{ Ref: machineId }] },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [summarizeId, 'Arn'] },
          InputPath: '$.detail',
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('SummarizeRunFnDlq'), 'Arn'] } },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 8 }),
        }),
      ],
    });
  });

  it('retries Lambda failures with jittered backoff, and SendBatch task failures twice more', () => {
    const asl = definition();
    const tasks = {
      SelectRun: asl.States.SelectRun,
      PlanRun: asl.States.PlanRun,
      SummarizeRun: asl.States.SummarizeRun,
      SendBatch: asl.States.SendBatches.ItemProcessor.States.SendChunk.ItemProcessor.States.SendBatch,
    };
    for (const task of Object.values(tasks)) {
      expect(task.Retry[0]).toMatchObject({
        ErrorEquals: expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException']),
        BackoffRate: 2,
        JitterStrategy: 'FULL',
      });
    }
    expect(tasks.SendBatch.Retry.at(-1)).toMatchObject({
      ErrorEquals: ['States.TaskFailed'],
      MaxAttempts: 2,
    });
  });

  it('catches a batch that still fails after its retries, so the Map goes on with the other batches', () => {
    const states = definition().States.SendBatches.ItemProcessor.States.SendChunk.ItemProcessor.States;
    expect(states.SendBatch.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'BatchFailed' },
    ]);
    expect(states.BatchFailed).toMatchObject({ Type: 'Pass', End: true });
  });

  it('retries a batch that stopped before its timeout at once, before the generic task-failure retrier', () => {
    const retry: { ErrorEquals: string[] }[] =
      definition().States.SendBatches.ItemProcessor.States.SendChunk.ItemProcessor.States.SendBatch.Retry;
    const errors = retry.map((r) => r.ErrorEquals);
    const outOfTime = errors.findIndex((e) => e.includes('BatchOutOfTimeError'));
    expect(outOfTime).toBeGreaterThanOrEqual(0);
    expect(outOfTime).toBeLessThan(errors.findIndex((e) => e.includes('States.TaskFailed')));
    expect(retry[outOfTime]).toMatchObject({ IntervalSeconds: 1, MaxAttempts: 20 });
  });

  it('marks the run failed when planning or summarizing fails after its retries, then fails the execution', () => {
    const states = definition().States;
    for (const name of ['PlanRun', 'SummarizeRun'])
      expect(states[name].Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'MarkRunFailed' },
      ]);
    expect(states.MarkRunFailed).toMatchObject({ Type: 'Task', Next: 'RunFailed' });
    expect(JSON.stringify(states.MarkRunFailed.Parameters)).toContain('"failed":true');
    expect(states.RunFailed).toMatchObject({ Type: 'Fail', Error: 'RunFailed' });
  });

  it('publishes RunCompleted to the project bus, and logs and traces executions', () => {
    const [[busId] = ['']] = resourcesOfType(template, 'AWS::Events::EventBus');
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      DefinitionString: {
        'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [busId, 'Arn'] }])],
      },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
      TracingConfiguration: { Enabled: true },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [busId, 'Arn'] } }),
        ]),
      },
    });
  });
});

describe('schedule', () => {
  it('starts the state machine on the configured expression and time zone, with retries and a DLQ', () => {
    const [[machineId] = ['']] = resourcesOfType(template, 'AWS::StepFunctions::StateMachine');
    // The daily run and the hourly intraday run (asserted in intraday-schedule.test.ts).
    template.resourceCountIs('AWS::Scheduler::Schedule', 2);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: TEST_CONTEXT.scheduleExpression,
      ScheduleExpressionTimezone: TEST_CONTEXT.scheduleTimeZone,
      Target: {
        Arn: { Ref: machineId },
        // D = local date of the scheduled time in the schedule's zone + daysAhead (08:30 Berlin: 1).
        Input: JSON.stringify({
          scheduledTime: '<aws.scheduler.scheduled-time>',
          scheduleTimeZone: TEST_CONTEXT.scheduleTimeZone,
          daysAhead: 1,
        }),
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: Match.anyValue() }),
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Dlq'), 'Arn'] } },
        RoleArn: Match.anyValue(),
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: machineId } },
        ]),
      },
    });
  });

  it('defaults to 09:00 UTC daily', () => {
    const defaults = synthTemplate({}).template;
    defaults.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
    });
    // SMS is off unless an origination identity is configured: no variable, no permission.
    const json = JSON.stringify(defaults.toJSON());
    expect(json).not.toContain('SMS_ORIGINATION_IDENTITY');
    expect(json).not.toContain('sms-voice:SendTextMessage');
  });
});

describe('messaging', () => {
  it('publishes SES events of its configuration set to EventBridge (the default bus)', () => {
    const [[configSetId] = ['']] = resourcesOfType(template, 'AWS::SES::ConfigurationSet');
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: configSetId },
      EventDestination: Match.objectLike({
        Enabled: true,
        EventBridgeDestination: { EventBusArn: Match.anyValue() },
        MatchingEventTypes: Match.arrayWith(['bounce', 'complaint', 'delivery']),
      }),
    });
  });

  it('routes partner events and delivery events to their handlers', () => {
    const [[busId] = ['']] = resourcesOfType(template, 'AWS::Events::EventBus');
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: busId },
      EventPattern: { source: ['touchpoint.partner'], 'detail-type': ['CustomerEvent'] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('IngestEvent'), 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: 'default',
      EventPattern: Match.objectLike({ source: ['aws.ses'] }),
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeliveryEvents'), 'Arn'] } }),
      ],
    });
    // SMS delivery events come over SNS (test/infra/delivery-feedback.test.ts): no rule waits for
    // an EventBridge event End User Messaging never publishes.
    const rules = resourcesOfType(template, 'AWS::Events::Rule').map(([, r]) => JSON.stringify(r));
    expect(rules.filter((r) => r.includes('aws.sms-voice'))).toEqual([]);
  });
});

describe('observability', () => {
  it('alarms on failed runs, function errors and DLQ depth', () => {
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.MetricName);
    expect(alarms).toContain('ExecutionsFailed');
    expect(alarms.filter((m) => m === 'Errors')).toHaveLength(9);
    expect(alarms.filter((m) => m === 'ApproximateNumberOfMessagesVisible').length).toBeGreaterThanOrEqual(8);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});
