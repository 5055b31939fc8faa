import { Duration, TimeZone } from 'aws-cdk-lib';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface SchedulesProps {
  stateMachine: IStateMachine;
  /** EventBridge Scheduler expression, e.g. `cron(0 9 * * ? *)`. */
  expression: string;
  /** IANA zone the expression is read in; Scheduler follows its DST changes. */
  timeZone: string;
}

/**
 * The daily run: EventBridge Scheduler starts one execution per fire with the scheduled time as
 * input (select-run derives the local dates from it, so a late or retried start plans the same days).
 * The target role may only start this state machine; undeliverable starts go to a DLQ.
 */
export class Schedules extends Construct {
  readonly daily: Schedule;
  readonly dlq: Queue;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    this.dlq = new Queue(this, 'Dlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.daily = new Schedule(this, 'DailyRun', {
      description: 'Starts the daily Touchpoint run',
      schedule: ScheduleExpression.expression(props.expression, TimeZone.of(props.timeZone)),
      target: new StepFunctionsStartExecution(props.stateMachine, {
        input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
        deadLetterQueue: this.dlq,
        retryAttempts: 5,
        maxEventAge: Duration.hours(6),
      }),
    });
  }
}
