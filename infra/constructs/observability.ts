import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { MAX_BOUNCE_RATE, MAX_COMPLAINT_RATE } from '../../shared/domain/reputation.js';
import {
  METRIC_DIMENSIONS,
  METRIC_NAMES,
  METRICS_NAMESPACE,
  metricService,
} from '../../shared/observability/metric-names.js';
import { CLOUDWATCH, serviceTopic } from './sms-voice-topic.js';

/** The channels touches go out on: one alarm and one line each. */
const CHANNELS = ['email', 'sms'] as const;

export interface ObservabilityProps {
  stateMachine: IStateMachine;
  /** The chunked import (docs/imports-at-scale.md): a failed execution alarms like a failed run. */
  importMachine?: IStateMachine;
  /** Functions whose errors alarm, by a short label. */
  functions: Record<string, IFunction>;
  /** Dead-letter queues whose depth alarms, by a short label. */
  deadLetterQueues: Record<string, IQueue>;
  alarmEmail?: string;
  /** Failed touches per channel in 5 minutes that page someone. Default 10. */
  failedTouchesThreshold?: number;
}

/**
 * Alarms that each mean "something needs a person": a run failed or timed out (redrive it), a
 * function keeps erroring, or messages sit in a DLQ (an event or a start was dropped; redrive it).
 * All notify one topic, encrypted with a key CloudWatch may use.
 */
export class Observability extends Construct {
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    // A key CloudWatch may use: with the AWS-managed alias/aws/sns no alarm would ever be delivered.
    this.alarmTopic = serviceTopic(this, 'AlarmTopic', 'alarms', CLOUDWATCH);
    if (props.alarmEmail !== undefined)
      this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.alarmTopic);
    const alarm = (alarmId: string, metric: IMetric, description: string, threshold = 1) => {
      const a = new Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(action);
      this.alarms.push(a);
      return a;
    };

    const period = Duration.minutes(5);
    const sm = props.stateMachine;
    alarm('RunFailed', sm.metricFailed({ period }), 'A run execution failed: inspect it and redrive it.');
    if (props.importMachine) {
      const im = props.importMachine;
      alarm(
        'ImportFailed',
        new MathExpression({
          expression: 'failed + timedOut',
          usingMetrics: { failed: im.metricFailed({ period }), timedOut: im.metricTimedOut({ period }) },
          period,
        }),
        'A chunked import execution failed or timed out: its job says why; import the same file again.',
      );
    }
    alarm(
      'RunTimedOut',
      sm.metricTimedOut({ period }),
      'A run execution timed out: inspect it and redrive it.',
    );
    for (const [label, fn] of Object.entries(props.functions)) {
      alarm(`${label}Errors`, fn.metricErrors({ period }), `${label} is failing invocations.`);
    }
    for (const [label, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `${label}DlqDepth`,
        queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        `${label}: messages in the dead-letter queue were not processed; inspect and redrive.`,
      );
    }

    // Touch metrics (EMF from send-batch and summarize-run, shared/observability/metrics.ts).
    const sendBatch = metricService('send-batch');
    const byChannel = (metricName: string, channel: string) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: sendBatch, [METRIC_DIMENSIONS.channel]: channel },
        statistic: 'Sum',
        period,
        label: `${metricName} ${channel}`,
      });
    for (const channel of CHANNELS) {
      alarm(
        `TouchesFailed${channel === 'email' ? 'Email' : 'Sms'}`,
        byChannel(METRIC_NAMES.touchesFailed, channel),
        `${channel} touches are failing (provider errors or a missing sender/identity): check send-batch's logs.`,
        props.failedTouchesThreshold ?? 10,
      );
    }
    // The sender reputation guard (docs/send-time-checks.md): our own pause, and SES's account-level
    // rates, which SES reviews an account on (above 5 % bounces, 0.1 % complaints).
    alarm(
      'EmailSendingPaused',
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: METRIC_NAMES.sendingPaused,
        dimensionsMap: { service: metricService('delivery-events'), [METRIC_DIMENSIONS.channel]: 'email' },
        statistic: 'Sum',
        period,
      }),
      'Email sending is paused: the bounce or complaint rate is too high. Find the cause (a bad list, a broken template), then `touchpoint sending resume email`.',
    );
    // The audit log (docs/console-auth.md): a change the API made but could not record.
    alarm(
      'AuditWriteFailed',
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: METRIC_NAMES.auditWriteFailed,
        dimensionsMap: { service: metricService('api') },
        statistic: 'Sum',
        period,
      }),
      'The API made a change it could not write to the audit log: see the api function’s log ("audit entry not written") for who did what, and the table’s health.',
    );
    const sesReputation = (metricName: string) =>
      new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });
    alarm(
      'SesBounceRate',
      sesReputation('Reputation.BounceRate'),
      'SES account bounce rate is at 5 %: SES may put the account under review. Clean the lists.',
      MAX_BOUNCE_RATE,
    );
    alarm(
      'SesComplaintRate',
      sesReputation('Reputation.ComplaintRate'),
      'SES account complaint rate is at 0.1 %: SES may put the account under review. Check consent and content.',
      MAX_COMPLAINT_RATE,
    );
    const search = (metricName: string, dims: string[], label: string) =>
      new MathExpression({
        expression: `SEARCH('{${METRICS_NAMESPACE},${['service', ...dims].join(',')}} MetricName="${metricName}"', 'Sum', ${period.toSeconds()})`,
        label,
        period,
      });
    const runDuration = new Metric({
      namespace: METRICS_NAMESPACE,
      metricName: METRIC_NAMES.runDurationMs,
      dimensionsMap: { service: metricService('summarize-run') },
      statistic: 'Maximum',
      period: Duration.hours(1),
    });

    this.dashboard = new Dashboard(this, 'Dashboard');
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Touches by channel',
        left: CHANNELS.flatMap((c) => [
          byChannel(METRIC_NAMES.touchesSent, c),
          byChannel(METRIC_NAMES.touchesFailed, c),
          byChannel(METRIC_NAMES.touchesSuppressed, c),
        ]),
      }),
      new GraphWidget({
        title: 'Touches sent by campaign and channel',
        left: [
          search(METRIC_NAMES.touchesSent, [METRIC_DIMENSIONS.campaign, METRIC_DIMENSIONS.channel], 'sent'),
        ],
      }),
      new GraphWidget({
        title: 'Touches suppressed by reason',
        left: [
          search(
            METRIC_NAMES.touchesSuppressed,
            [METRIC_DIMENSIONS.campaign, METRIC_DIMENSIONS.channel, METRIC_DIMENSIONS.reason],
            'suppressed',
          ),
        ],
      }),
      new GraphWidget({ title: 'Run duration (ms, max per hour)', left: [runDuration] }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Runs',
        left: [sm.metricStarted({ period }), sm.metricSucceeded({ period }), sm.metricFailed({ period })],
      }),
      new GraphWidget({
        title: 'Function errors',
        left: Object.values(props.functions).map((fn) => fn.metricErrors({ period })),
      }),
      new GraphWidget({
        title: 'Dead-letter queues',
        left: Object.values(props.deadLetterQueues).map((q) =>
          q.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        ),
      }),
    );
  }
}
