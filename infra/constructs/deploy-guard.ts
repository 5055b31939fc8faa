import { CfnParameter, CfnRule, Fn } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** RFC 2606 / 6761 names that can never receive or verify mail. */
const RESERVED_DOMAIN = /(^|\.)(example\.(com|net|org)|example|invalid|test|localhost)$/i;

/** What would make a deploy send from nowhere: a reserved sender domain, no SMS decision. */
export function placeholderProblems(s: { senderEmail: string; smsOriginationIdentity?: string }): string[] {
  const problems: string[] = [];
  const domain = s.senderEmail.split('@')[1] ?? '';
  if (RESERVED_DOMAIN.test(domain))
    problems.push(
      `senderEmail ${s.senderEmail} is a placeholder (pass -c senderEmail=you@your-verified-domain)`,
    );
  if (s.smsOriginationIdentity === undefined)
    problems.push(
      'no smsOriginationIdentity (pass -c smsOriginationIdentity=<sms-voice ARN>, or =none to send email only)',
    );
  return problems;
}

/**
 * Refuses a deploy with placeholder settings unless it is a sandbox deploy (`-c sandbox=true`).
 * `cdk synth` must stay offline and work with no context, and nothing tells the app whether the
 * CLI is about to deploy, so the refusal is a CloudFormation rule: CloudFormation evaluates it
 * when the change set is created, before any resource changes, and `cdk deploy` fails with the
 * rule's message. The rule and its parameter exist only when there is something to refuse, and
 * a sandbox deploy has neither, so a later real deploy of the same stack meets the rule afresh.
 */
export class DeployGuard extends Construct {
  readonly rule: CfnRule | undefined;

  constructor(scope: Construct, id: string, props: { problems: string[]; sandbox: boolean }) {
    super(scope, id);
    if (props.sandbox || props.problems.length === 0) return;
    // Rules may only test parameters; this one's default fails the assertion.
    const confirm = new CfnParameter(this, 'PlaceholderSettings', {
      type: 'String',
      default: 'refused',
      allowedValues: ['refused', 'sandbox'],
      description:
        'Deploys with placeholder sender or SMS settings are refused; redeploy with -c sandbox=true.',
    });
    this.rule = new CfnRule(this, 'RefusePlaceholderSettings', {
      assertions: [
        {
          assert: Fn.conditionEquals(confirm.valueAsString, 'sandbox'),
          assertDescription: `Refusing to deploy: ${props.problems.join('; ')}. For a sandbox deploy that sends nothing real, add -c sandbox=true.`,
        },
      ],
    });
  }
}
