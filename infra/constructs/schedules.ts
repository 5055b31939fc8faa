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
import { type DailySchedule, dailySchedule } from '../../shared/domain/schedule-dates.js';

/** The intraday run fires at the top of every UTC hour. */
export const INTRADAY_EXPRESSION = 'cron(0 * * * ? *)';

export interface SchedulesProps {
  stateMachine: IStateMachine;
  /** EventBridge Scheduler expression, e.g. `cron(0 9 * * ? *)`. */
  expression: string;
  /** IANA zone the expression is read in; Scheduler follows its DST changes. */
  timeZone: string;
}

/**
 * The daily run: EventBridge Scheduler starts one execution per fire with the scheduled time, the
 * schedule's zone and the day count as input: select-run plans D = local date of the scheduled time
 * + daysAhead, so a late or retried start plans the same day (shared/domain/schedule-dates.ts).
 * A schedule that cannot plan every zone's day ahead of it (rate(), at(), several firings a day)
 * is refused here, at synth, with UnworkableScheduleError.
 * The target role may only start this state machine; undeliverable starts go to a DLQ.
 */
export class Schedules extends Construct {
  readonly daily: Schedule;
  /** The intraday run for event and contract-start anchors (docs/scheduling.md, "Events on time"). */
  readonly intraday: Schedule;
  readonly dlq: Queue;
  readonly plan: DailySchedule;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    this.plan = dailySchedule(props.expression, props.timeZone);
    this.dlq = new Queue(this, 'Dlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.daily = new Schedule(this, 'DailyRun', {
      description: 'Starts the daily Touchpoint run',
      schedule: ScheduleExpression.expression(props.expression, TimeZone.of(props.timeZone)),
      target: new StepFunctionsStartExecution(props.stateMachine, {
        input: ScheduleTargetInput.fromObject({
          scheduledTime: ContextAttribute.scheduledTime,
          scheduleTimeZone: props.timeZone,
          daysAhead: this.plan.daysAhead,
        }),
        deadLetterQueue: this.dlq,
        retryAttempts: 5,
        maxEventAge: Duration.hours(6),
      }),
    });
    // Every hour in UTC: each firing sends the event and contract-start touches whose window is open
    // and that arrived after the daily run planned, and records those that arrived too late. A start
    // older than an hour is superseded by the next firing, which re-plans the same local days.
    this.intraday = new Schedule(this, 'IntradayRun', {
      description: 'Starts the hourly Touchpoint run for event and contract-start anchors',
      schedule: ScheduleExpression.expression(INTRADAY_EXPRESSION, TimeZone.ETC_UTC),
      target: new StepFunctionsStartExecution(props.stateMachine, {
        input: ScheduleTargetInput.fromObject({
          kind: 'intraday',
          scheduledTime: ContextAttribute.scheduledTime,
        }),
        deadLetterQueue: this.dlq,
        retryAttempts: 5,
        maxEventAge: Duration.hours(1),
      }),
    });
  }
}
