// Delivery feedback in the template: SES events over the default bus, End User Messaging SMS events
// over the SMS configuration set's SNS destination, both to delivery-events (docs/delivery-feedback.md).
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { resourcesOfType, SYNTH_TIMEOUT_MS, synthTemplate } from './synth-helper.js';

let template: Template;
beforeAll(() => {
  template = synthTemplate().template;
}, SYNTH_TIMEOUT_MS);

const smsTopicId = (): string => {
  const [[id] = ['']] = resourcesOfType(template, 'AWS::SNS::Topic').filter(([, t]) =>
    JSON.stringify(t).includes('SMS delivery events'),
  );
  return id;
};

describe('SMS delivery events', () => {
  it('configures an SMS configuration set whose event destination publishes every SMS event to an SNS topic', () => {
    const topic = smsTopicId();
    expect(topic).not.toBe('');
    template.hasResourceProperties('AWS::SMSVOICE::ConfigurationSet', {
      EventDestinations: [
        Match.objectLike({
          Enabled: true,
          MatchingEventTypes: ['TEXT_ALL'],
          SnsDestination: { TopicArn: { Ref: topic } },
        }),
      ],
    });
  });

  it('lets only End User Messaging of this account publish to the topic, encrypted with a key it may use', () => {
    const topic = smsTopicId();
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'Touchpoint SMS delivery events',
      KmsMasterKeyId: Match.objectLike({ 'Fn::GetAtt': Match.anyValue() }),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic }],
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sns:Publish',
            Principal: { Service: 'sms-voice.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': Match.anyValue() } },
          }),
        ]),
      }),
    });
  });

  it('subscribes delivery-events to the topic, with a dead-letter queue', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: smsTopicId() },
      Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeliveryEvents'), 'Arn'] },
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue() },
    });
  });

  it('has send-batch name the SMS configuration set on every send, and may use it', () => {
    const [[configSet] = ['']] = resourcesOfType(template, 'AWS::SMSVOICE::ConfigurationSet');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SMS_CONFIGURATION_SET: { Ref: configSet } }) },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sms-voice:SendTextMessage',
            Resource: Match.arrayWith([{ 'Fn::GetAtt': [configSet, 'Arn'] }]),
          }),
        ]),
      }),
    });
  });
});
