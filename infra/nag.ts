import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { HouseFunction } from './constructs/house-function.js';
import type { TouchpointStack } from './touchpoint-stack.js';

const IAM5 = 'AwsSolutions::AwsSolutions-IAM5';

export class NotAResourceError extends Error {
  constructor(readonly path: string) {
    super(`${path} has no CloudFormation resource`);
    this.name = 'NotAResourceError';
  }
}

function logicalIdOf(construct: IConstruct): string {
  const cfn = construct.node.defaultChild;
  if (!(cfn instanceof CfnElement)) throw new NotAResourceError(construct.node.path);
  return String(Stack.of(construct).resolve(cfn.logicalId));
}

/** The `<LogicalId.Arn>` form cdk-nag uses to name a resource ARN inside a finding. */
const arnRef = (construct: IConstruct): string => `<${logicalIdOf(construct)}.Arn>`;

const ack = (scope: IConstruct, id: string, reason: string) =>
  Validations.of(scope).acknowledge({ id, reason });

/**
 * The AwsSolutions findings this stack accepts, each on the narrowest construct, each with its reason.
 * Everything else cdk-nag reports fails the synth.
 */
export function acknowledgeNagFindings(stack: TouchpointStack): void {
  const functions: HouseFunction[] = [
    stack.runs.selectRun,
    stack.runs.planRun,
    stack.runs.sendBatch,
    stack.runs.summarizeRun,
    stack.inbound.ingestEvent,
    stack.inbound.deliveryEvents,
    stack.twoWaySms.fn,
  ];
  for (const fn of functions) {
    ack(
      fn.role ?? fn,
      `${IAM5}[Resource::*]`,
      fn === stack.runs.sendBatch
        ? 'X-Ray PutTraceSegments/PutTelemetryRecords and ses:GetAccount (the account send quota) accept only Resource *.'
        : 'X-Ray PutTraceSegments/PutTelemetryRecords accept only Resource *.',
    );
  }

  const machine = stack.runs.stateMachine;
  ack(
    machine.role,
    `${IAM5}[Resource::*]`,
    'X-Ray tracing and CloudWatch Logs vended log delivery accept only Resource *.',
  );
  for (const fn of [
    stack.runs.selectRun,
    stack.runs.planRun,
    stack.runs.sendBatch,
    stack.runs.summarizeRun,
  ]) {
    ack(
      machine.role,
      `${IAM5}[Resource::${arnRef(fn)}:*]`,
      'Invoke on versions/aliases of this one function (the LambdaInvoke grant).',
    );
  }

  // A Distributed Map starts its items as child executions of this same machine; CDK grants the
  // machine's role on its own executions, which cdk-nag spells with the name split out of the ARN.
  const distributedMap = machine.node.tryFindChild('DistributedMapPolicy');
  if (distributedMap) {
    const name = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalIdOf(machine)}"}]}]}`;
    const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${name}`;
    ack(
      distributedMap,
      `${IAM5}[Resource::${executions}:*]`,
      'DescribeExecution/StopExecution of the Distributed Map’s child executions: executions of this one machine (their ARNs end in a generated name).',
    );
    ack(
      distributedMap,
      `${IAM5}[Resource::${executions}/*:*]`,
      'RedriveExecution of the Distributed Map’s child executions (Map Run label, then name): executions of this one machine.',
    );
  }

  ack(stack.schedules.dlq, 'AwsSolutions::AwsSolutions-SQS3', "This queue is the Scheduler target's DLQ.");
  ack(
    stack.inbound.targetDlq,
    'AwsSolutions::AwsSolutions-SQS3',
    'This queue is the EventBridge targets’ DLQ.',
  );
}
