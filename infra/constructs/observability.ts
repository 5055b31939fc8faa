import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Alias } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface ObservabilityProps {
  stateMachine: IStateMachine;
  /** Functions whose errors alarm, by a short label. */
  functions: Record<string, IFunction>;
  /** Dead-letter queues whose depth alarms, by a short label. */
  deadLetterQueues: Record<string, IQueue>;
  alarmEmail?: string;
}

/**
 * Alarms that each mean "something needs a person": a run failed or timed out (redrive it), a
 * function keeps erroring, or messages sit in a DLQ (an event or a start was dropped; redrive it).
 * All notify one encrypted topic.
 */
export class Observability extends Construct {
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      enforceSSL: true,
      masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    });
    if (props.alarmEmail !== undefined)
      this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.alarmTopic);
    const alarm = (alarmId: string, metric: IMetric, description: string) => {
      const a = new Alarm(this, alarmId, {
        metric,
        threshold: 1,
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

    this.dashboard = new Dashboard(this, 'Dashboard');
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
