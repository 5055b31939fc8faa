import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  AwsOwnedEncryptionConfiguration,
  DefinitionBody,
  DistributedMap,
  Fail,
  type IChainable,
  JitterType,
  JsonPath,
  LogLevel,
  Map as MapState,
  Pass,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Timeout,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { EventBridgePutEvents, LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/env.js';
import { EVENT_NAMES, EXECUTION_ENDED_BADLY } from '../../shared/config/events.js';
import { RUN_TIMEOUT_HOURS } from '../../shared/domain/schedule-dates.js';
import { HouseFunction } from './house-function.js';
import type { Messaging } from './messaging.js';

export interface RunsProps {
  table: ITableV2;
  bus: IEventBus;
  messaging: Messaging;
  /** Batches in flight at once in one send chunk: the inner Map's MaxConcurrency. */
  sendConcurrency: number;
  lookbackDays: number;
}

/** State names are a contract with the local runtime and the tests. */
export const RUN_STATES = {
  selectRun: 'SelectRun',
  planRun: 'PlanRun',
  /** The Distributed Map over the plan's send chunks: one child execution per chunk. */
  sendBatches: 'SendBatches',
  /** In a chunk's child execution: the wait for the chunk's send time ... */
  waitForSendTime: 'WaitForSendTime',
  /** ... the chunk's batch numbers (States.ArrayRange) ... */
  chunkBatches: 'ChunkBatches',
  /** ... and the inline Map over them, sendConcurrency at once. */
  sendChunk: 'SendChunk',
  sendBatch: 'SendBatch',
  /** Catches a batch whose retries are spent, so the Map goes on with the others. */
  batchFailed: 'BatchFailed',
  summarizeRun: 'SummarizeRun',
  publishRunCompleted: 'PublishRunCompleted',
  /** PlanRun or SummarizeRun failed after its retries: the run is marked failed, then the execution fails. */
  markRunFailed: 'MarkRunFailed',
  runFailed: 'RunFailed',
} as const;

/**
 * Chunks (child executions) in flight at once: a second chunk starts sending while the first one's
 * last batches finish, so the batches in flight never drop to a tail; at most 2 × sendConcurrency
 * send-batch invocations run at once (docs/run-at-scale.md).
 */
export const CHUNKS_IN_FLIGHT = 2;

/** Lambda's own transient failures: retried with backoff and full jitter so parallel batches spread out. */
const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
];

/**
 * One Standard execution per run (DESIGN decision 4): select → plan → a Distributed Map over the
 * plan's send chunks (each a child Standard execution: wait for the chunk's send time, then an
 * inline Map over its ≤ 200 batches) → summarize → RunCompleted on the bus. The parent's history
 * stays a few dozen events and each child's under ~1,500 whatever the run's size, far inside the
 * 25,000-event limit (docs/run-at-scale.md). A failed execution raises the ExecutionsFailed alarm
 * and can be redriven from the failed state; the ledger's conditional writes make the redriven
 * sends exactly-once. An execution that fails, times out or is stopped outside the definition's
 * catches marks its run failed through the RunExecutionEnded rule.
 */
export class Runs extends Construct {
  readonly selectRun: HouseFunction<'select-run'>;
  readonly planRun: HouseFunction<'plan-run'>;
  readonly sendBatch: HouseFunction<'send-batch'>;
  readonly summarizeRun: HouseFunction<'summarize-run'>;
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: RunsProps) {
    super(scope, id);
    const { table, messaging } = props;

    this.selectRun = new HouseFunction(this, 'SelectRunFn', {
      name: 'select-run',
      description: 'Which local dates (and campaigns) a run covers, from the schedule time and lookback',
      environment: { [ENV.lookbackDays]: String(props.lookbackDays) },
    }).bindTable(table);
    this.planRun = new HouseFunction(this, 'PlanRunFn', {
      name: 'plan-run',
      description: 'Plans the due touches and groups them into send batches',
      memorySize: 1024,
      // Its work grows with the day's touches (a cap read, a ledger read and a results unit each):
      // Lambda's longest timeout, so a day of 100,000 touches is not cut off (docs/run-at-scale.md).
      timeout: Duration.minutes(15),
    }).bindTable(table);
    // No bus: send-batch publishes nothing (RunCompleted is the state machine's own PutEvents).
    this.sendBatch = new HouseFunction(this, 'SendBatchFn', {
      name: 'send-batch',
      description: 'Reserves, renders and sends one batch of touches',
      // Every sending instance shares one rate (shared/channels/rate-budget.ts), so a batch takes
      // about touches x batches in flight / rate: 50 SMS x 8 (two executions at MaxConcurrency 4) at
      // 1/s is 400 s. Lambda's longest timeout keeps that inside one invocation.
      timeout: Duration.minutes(15),
    })
      .bindTable(table)
      .bindEmail({
        senderEmail: messaging.senderEmail,
        configurationSetName: messaging.configurationSet.configurationSetName,
      })
      .bindSms(messaging.smsOriginationIdentity, messaging.smsMaxPerSecond, messaging.smsConfigurationSet);
    this.summarizeRun = new HouseFunction(this, 'SummarizeRunFn', {
      name: 'summarize-run',
      description: 'Summarizes a run from its batches',
      // It reads every batch of the run: at 100,000 touches (2,000 batches) it outran 30 s locally,
      // after all 100,000 were sent, and the run was marked failed (bench: run --touches 100000).
      memorySize: 1024,
      timeout: Duration.minutes(5),
    }).bindTable(table);

    const logs = new LogGroup(this, 'ExecutionLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'RunMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(this.definition(props)),
      // Sends wait for each batch's send time: D's last window closes up to ~75 h after the firing
      // (docs/scheduling.md); Schedules refuses a schedule whose runs could outlast this.
      timeout: Duration.hours(RUN_TIMEOUT_HOURS),
      tracingEnabled: true,
      // Stated, not defaulted: execution history holds ids and counts, no personal data (docs/security.md).
      encryptionConfiguration: new AwsOwnedEncryptionConfiguration(),
      // Execution data holds addresses: the log keeps state transitions, not payloads.
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
    });
    // Outside the catches (a child chunk failed, the run timed out, someone stopped it) the execution
    // ends without MarkRunFailed: Step Functions' own status event marks the run failed, so the
    // schedule's catch-up re-runs its dates (docs/run-at-scale.md). The execution's name is the run id.
    new Rule(this, 'RunExecutionEnded', {
      description: 'A run execution that failed, timed out or was stopped → its run marked failed',
      eventPattern: {
        source: [EVENT_NAMES.statesSource],
        detailType: [EVENT_NAMES.executionStatusChange],
        detail: {
          status: [...EXECUTION_ENDED_BADLY],
          stateMachineArn: [this.stateMachine.stateMachineArn],
        },
      },
      targets: [
        new LambdaFunction(this.summarizeRun, {
          event: RuleTargetInput.fromEventPath('$.detail'),
          deadLetterQueue: this.summarizeRun.dlq,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }

  private definition(props: RunsProps): IChainable {
    const invoke = (stateName: string, fn: HouseFunction, payload?: TaskInput) => {
      const task = new LambdaInvoke(this, stateName, {
        lambdaFunction: fn,
        payloadResponseOnly: true,
        // The definition states each function's timeout, so the local runner honours the same one
        // (aws-local-stepfunctions otherwise gives a Task 60 s).
        ...(fn.timeout ? { taskTimeout: Timeout.duration(fn.timeout) } : {}),
        retryOnServiceExceptions: false,
        ...(payload ? { payload } : {}),
      });
      task.addRetry({
        errors: LAMBDA_TRANSIENT_ERRORS,
        interval: Duration.seconds(2),
        maxAttempts: 6,
        backoffRate: 2,
        maxDelay: Duration.seconds(60),
        jitterStrategy: JitterType.FULL,
      });
      return task;
    };

    const sendBatch = invoke(RUN_STATES.sendBatch, this.sendBatch);
    // A batch that stopped before the function's timeout left the rest unreserved: go on at once.
    // Listed before States.TaskFailed, which would match it too (retriers are tried in order).
    sendBatch.addRetry({
      errors: ['BatchOutOfTimeError'],
      interval: Duration.seconds(1),
      maxAttempts: 20,
      backoffRate: 1,
    });
    // A send failure that is not Lambda's: the ledger makes a retry safe (reserved keys are not resent).
    sendBatch.addRetry({
      errors: ['States.TaskFailed'],
      interval: Duration.seconds(10),
      maxAttempts: 2,
      backoffRate: 3,
      jitterStrategy: JitterType.FULL,
    });
    // A batch that still fails after its retries is recorded, not fatal: the Map goes on with the
    // other batches (other zones, other campaigns), and SummarizeRun reports it in `failedBatches`.
    sendBatch.addCatch(
      new Pass(this, RUN_STATES.batchFailed, {
        parameters: {
          sendAt: JsonPath.stringAt('$.sendAt'),
          index: JsonPath.numberAt('$.index'),
          failed: true,
          error: JsonPath.stringAt('$.failure.Error'),
        },
      }),
      { errors: ['States.ALL'], resultPath: '$.failure' },
    );
    // One chunk's child execution: its batches are `${sendAt}#${first … last}` (plan-run.ts), named
    // by number so the plan hands over a few hundred bytes per chunk, not an id per batch.
    const sendChunk = new MapState(this, RUN_STATES.sendChunk, {
      itemsPath: '$.batches',
      itemSelector: {
        runId: JsonPath.stringAt('$.runId'),
        sendAt: JsonPath.stringAt('$.sendAt'),
        index: JsonPath.numberAt('$$.Map.Item.Value'),
      },
      maxConcurrency: props.sendConcurrency,
      resultPath: JsonPath.DISCARD,
    }).itemProcessor(sendBatch);
    const perChunk = new Wait(this, RUN_STATES.waitForSendTime, {
      time: WaitTime.timestampPath('$.sendAt'),
    })
      .next(
        new Pass(this, RUN_STATES.chunkBatches, {
          parameters: {
            runId: JsonPath.stringAt('$.runId'),
            sendAt: JsonPath.stringAt('$.sendAt'),
            batches: JsonPath.arrayRange(JsonPath.numberAt('$.first'), JsonPath.numberAt('$.last'), 1),
          },
        }),
      )
      .next(sendChunk);

    // Standard children: a chunk waits for its send time, up to ~75 h (Express stops at 5 minutes).
    const sendBatches = new DistributedMap(this, RUN_STATES.sendBatches, {
      itemsPath: '$.chunks',
      itemSelector: {
        runId: JsonPath.stringAt('$.runId'),
        sendAt: JsonPath.stringAt('$$.Map.Item.Value.sendAt'),
        first: JsonPath.numberAt('$$.Map.Item.Value.first'),
        last: JsonPath.numberAt('$$.Map.Item.Value.last'),
      },
      mapExecutionType: StateMachineType.STANDARD,
      maxConcurrency: CHUNKS_IN_FLIGHT,
      resultPath: JsonPath.DISCARD,
    }).itemProcessor(perChunk);

    const publish = new EventBridgePutEvents(this, RUN_STATES.publishRunCompleted, {
      entries: [
        {
          eventBus: props.bus,
          source: EVENT_NAMES.source,
          detailType: EVENT_NAMES.runCompleted,
          detail: TaskInput.fromJsonPathAt('$'),
        },
      ],
      // The execution's output stays the run summary.
      resultPath: JsonPath.DISCARD,
    });

    // One run per firing: a Scheduler retry or replay of a firing that already started a run ends here.
    // The execution's name becomes the run's id (unless the input names one), so Step Functions' own
    // status events name the run (RunExecutionEnded).
    const selectRun = invoke(
      RUN_STATES.selectRun,
      this.selectRun,
      TaskInput.fromObject({ input: JsonPath.entirePayload, execution: JsonPath.executionName }),
    ).addCatch(new Succeed(this, 'FiringAlreadyStarted'), { errors: ['FiringAlreadyStartedError'] });
    // A run that cannot finish is marked failed, so catch-up re-runs its dates (docs/scheduling.md);
    // the execution still fails, for the alarm and the operator.
    const markFailed = invoke(
      RUN_STATES.markRunFailed,
      this.summarizeRun,
      TaskInput.fromObject({
        runId: JsonPath.stringAt('$.runId'),
        failed: true,
        error: JsonPath.stringAt('$.failure.Error'),
      }),
    ).next(
      new Fail(this, RUN_STATES.runFailed, { error: 'RunFailed', cause: 'PlanRun or SummarizeRun failed' }),
    );
    const onFailure = { errors: ['States.ALL'], resultPath: '$.failure' };
    const planRun = invoke(RUN_STATES.planRun, this.planRun).addCatch(markFailed, onFailure);
    const summarizeRun = invoke(
      RUN_STATES.summarizeRun,
      this.summarizeRun,
      TaskInput.fromObject({ runId: JsonPath.stringAt('$.runId') }),
    ).addCatch(markFailed, onFailure);
    return selectRun.next(planRun).next(sendBatches).next(summarizeRun).next(publish);
  }
}
