import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  type IChainable,
  JitterType,
  JsonPath,
  LogLevel,
  Map as MapState,
  StateMachine,
  StateMachineType,
  TaskInput,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { EventBridgePutEvents, LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/env.js';
import { EVENT_NAMES } from '../../shared/config/events.js';
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
  summarizeRun: 'SummarizeRun',
  publishRunCompleted: 'PublishRunCompleted',
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
      timeout: Duration.minutes(5),
    })
      .bindTable(table)
      .bindEmail({
        senderEmail: messaging.senderEmail,
        configurationSetName: messaging.configurationSet.configurationSetName,
      })
      .bindSms(messaging.smsOriginationIdentity);
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
      // Sends wait for each batch's send time: up to a day after the run starts, plus lookback.
      timeout: Duration.days(3),
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
    // A send failure that is not Lambda's: the ledger makes a retry safe (reserved keys are not resent).
    sendBatch.addRetry({
      errors: ['States.TaskFailed'],
      interval: Duration.seconds(10),
      maxAttempts: 2,
      backoffRate: 3,
      jitterStrategy: JitterType.FULL,
    });
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

    return invoke(RUN_STATES.selectRun, this.selectRun)
      .next(invoke(RUN_STATES.planRun, this.planRun))
      .next(sendBatches)
      .next(
        invoke(
          RUN_STATES.summarizeRun,
          this.summarizeRun,
          TaskInput.fromObject({ runId: JsonPath.stringAt('$.runId') }),
        ),
      )
      .next(publish);
  }
}
