import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The keys the stack generates, so none has a default anywhere: the key that signs unsubscribe
 * links (send-batch signs, the API verifies) and the key that pseudonymises erased customers (the
 * API). Their values never appear in the template or an environment variable: functions get the
 * ARN and read the value once per cold start.
 */
export class AppSecrets extends Construct {
  readonly unsubscribeKey: Secret;
  readonly pseudonymKey: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const generate = { passwordLength: 64, excludePunctuation: true };
    this.unsubscribeKey = new Secret(this, 'UnsubscribeKey', {
      description: 'Touchpoint: signs and verifies unsubscribe links',
      generateSecretString: generate,
      // A new stack signs new links; the old links die with the old stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.pseudonymKey = new Secret(this, 'PseudonymKey', {
      description: 'Touchpoint: keys the pseudonyms of erased customers in the retained ledger',
      generateSecretString: generate,
      // Kept with the retained table: the same key keeps an erased customer's pseudonym stable.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const secret of [this.unsubscribeKey, this.pseudonymKey]) {
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions::AwsSolutions-SMG4',
        reason:
          'Rotating either key is a decision, not a schedule: a new unsubscribe key voids every link already sent, a new pseudonym key splits erased histories. Rotate by hand (docs/infra.md).',
      });
    }
  }
}
