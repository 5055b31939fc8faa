import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
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
import { EVENT_NAMES } from '../../shared/config/events.js';
import { RUN_TIMEOUT_HOURS } from '../../shared/domain/schedule-dates.js';
import { HouseFunction } from './house-function.js';
import type { Messaging } from './messaging.js';

export interface RunsProps {
  table: ITableV2;
  bus: IEventBus;
  messaging: Messaging;
  /** Batches in flight at once: the Map state's MaxConcurrency. */
  sendConcurrency: number;
  lookbackDays: number;
}

/** State names are a contract with the local runtime and the tests. */
export const RUN_STATES = {
  selectRun: 'SelectRun',
  planRun: 'PlanRun',
  sendBatches: 'SendBatches',
  waitForSendTime: 'WaitForSendTime',
  sendBatch: 'SendBatch',
  /** Catches a batch whose retries are spent, so the Map goes on with the others. */
  batchFailed: 'BatchFailed',
  summarizeRun: 'SummarizeRun',
  publishRunCompleted: 'PublishRunCompleted',
  /** PlanRun or SummarizeRun failed after its retries: the run is marked failed, then the execution fails. */
  markRunFailed: 'MarkRunFailed',
  runFailed: 'RunFailed',
} as const;

/** Lambda's own transient failures: retried with backoff and full jitter so parallel batches spread out. */
const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
];

/**
 * One Standard execution per run (DESIGN decision 4): select → plan → Map over send batches (each
 * waits for its send time, then sends) → summarize → RunCompleted on the bus. A failed execution
 * raises the ExecutionsFailed alarm and can be redriven from the failed state; the ledger's
 * conditional writes make the redriven sends exactly-once.
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
      timeout: Duration.minutes(5),
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
      // Execution data holds addresses: the log keeps state transitions, not payloads.
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
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
          batchId: JsonPath.stringAt('$.batchId'),
          failed: true,
          error: JsonPath.stringAt('$.failure.Error'),
        },
      }),
      { errors: ['States.ALL'], resultPath: '$.failure' },
    );
    const perBatch = new Wait(this, RUN_STATES.waitForSendTime, {
      time: WaitTime.timestampPath('$.sendAt'),
    }).next(sendBatch);

    const sendBatches = new MapState(this, RUN_STATES.sendBatches, {
      itemsPath: '$.batches',
      itemSelector: {
        runId: JsonPath.stringAt('$.runId'),
        batchId: JsonPath.stringAt('$$.Map.Item.Value.batchId'),
        sendAt: JsonPath.stringAt('$$.Map.Item.Value.sendAt'),
      },
      maxConcurrency: props.sendConcurrency,
      resultPath: JsonPath.DISCARD,
    }).itemProcessor(perBatch);

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
    const selectRun = invoke(RUN_STATES.selectRun, this.selectRun).addCatch(
      new Succeed(this, 'FiringAlreadyStarted'),
      { errors: ['FiringAlreadyStartedError'] },
    );
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
