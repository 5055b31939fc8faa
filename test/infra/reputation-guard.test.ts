// The sender reputation guard in the template (issue 12, item 6): an alarm on our own pause, and on
// SES's account-level rates at the bounds SES reviews accounts at; send-batch may read and count.
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_BOUNCE_RATE, MAX_COMPLAINT_RATE } from '../../shared/domain/reputation.js';
import { resourcesOfType, SYNTH_TIMEOUT_MS, synthTemplate } from './synth-helper.js';

let template: Template;
beforeAll(() => {
  template = synthTemplate().template;
}, SYNTH_TIMEOUT_MS);

describe('the reputation guard alarms', () => {
  it('alarms when the guard pauses email sending, and on the SES account bounce and complaint rates', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Touchpoint',
      MetricName: 'SendingPaused',
      Dimensions: Match.arrayWith([
        { Name: 'channel', Value: 'email' },
        { Name: 'service', Value: 'touchpoint-delivery-events' },
      ]),
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: Match.anyValue(),
    });
    for (const [metric, threshold] of [
      ['Reputation.BounceRate', MAX_BOUNCE_RATE],
      ['Reputation.ComplaintRate', MAX_COMPLAINT_RATE],
    ] as const)
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SES',
        MetricName: metric,
        Threshold: threshold,
        AlarmActions: Match.anyValue(),
      });
  });

  it('lets delivery-events publish the metric the alarm watches (Powertools namespace set)', () => {
    const variables = z.object({ Environment: z.object({ Variables: z.record(z.string(), z.unknown()) }) });
    const fns = resourcesOfType(template, 'AWS::Lambda::Function')
      .flatMap(([, f]) => {
        const parsed = variables.safeParse(f);
        return parsed.success ? [parsed.data.Environment.Variables] : [];
      })
      .filter((v) => v.POWERTOOLS_SERVICE_NAME === 'touchpoint-delivery-events');
    expect(fns).toHaveLength(1);
    expect(fns[0]?.POWERTOOLS_METRICS_NAMESPACE).toBe('Touchpoint');
  });
});
