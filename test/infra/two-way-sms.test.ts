// Two-way SMS as the template declares it: an encrypted topic End User Messaging of this account
// may publish to, the inbound-sms function subscribed with a DLQ, the phone index it reads, and
// the output the operator sets as the phone number's two-way destination.
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { index } from '../../shared/store/keys.js';
import { resourcesOfType, SYNTH_TIMEOUT_MS, synthTemplate, TEST_CONTEXT } from './synth-helper.js';

let template: Template;
beforeAll(() => {
  template = synthTemplate().template;
}, SYNTH_TIMEOUT_MS);

const inboundFunctionId = (): string => {
  const fns = Object.entries(template.findResources('AWS::Lambda::Function')).filter(
    ([, r]) =>
      Reflect.get(Object(Reflect.get(r, 'Metadata')), 'touchpoint:entry') === 'functions/inbound-sms.ts',
  );
  expect(fns).toHaveLength(1);
  return fns[0]?.[0] ?? '';
};

describe('two-way SMS', () => {
  it('has a topic, encrypted with a rotated customer key, that only allows TLS', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'Touchpoint inbound SMS',
      KmsMasterKeyId: Match.objectLike({
        'Fn::GetAtt': [Match.stringLikeRegexp('^TwoWaySmsInboundTopicKey'), 'Arn'],
      }),
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'sms-voice.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      }),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'sms-voice.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      }),
    });
  });

  it('subscribes the inbound-sms function, with a dead-letter queue for what SNS cannot deliver', () => {
    const fn = inboundFunctionId();
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Endpoint: { 'Fn::GetAtt': [fn, 'Arn'] },
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'sns.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [fn, 'Arn'] },
    });
  });

  it('gives the function the table and the number it answers from', () => {
    const [[, props] = ['', {}]] = resourcesOfType(template, 'AWS::Lambda::Function').filter(
      ([id]) => id === inboundFunctionId(),
    );
    const variables = Object(Reflect.get(Object(Reflect.get(props, 'Environment')), 'Variables'));
    expect(Reflect.get(variables, 'TABLE_NAME')).toBeDefined();
    expect(Reflect.get(variables, 'SMS_ORIGINATION_IDENTITY')).toBe(TEST_CONTEXT.smsOriginationIdentity);
  });

  it('finds senders through a sparse KEYS_ONLY phone index, never a Scan', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      GlobalSecondaryIndexes: Match.arrayWith([
        {
          IndexName: index.byPhone,
          KeySchema: [{ AttributeName: 'phoneKey', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ]),
    });
  });

  it("outputs the topic's ARN for the phone number's two-way destination", () => {
    template.hasOutput('InboundSmsTopicArn', {
      Value: { Ref: Match.stringLikeRegexp('^TwoWaySmsInboundTopic') },
    });
  });
});
