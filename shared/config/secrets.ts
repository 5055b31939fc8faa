// Secrets the stack generates (unsubscribe signing key, erasure pseudonym key), read once per cold
// start: the promise is kept, so concurrent first requests share one GetSecretValue call. A failed
// read is not kept, so the next invocation tries again instead of failing until the next cold start.
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export class SecretUnreadableError extends Error {
  constructor(readonly secretId: string) {
    super(`secret ${secretId} has no string value`);
    this.name = 'SecretUnreadableError';
  }
}

export type SecretReader = (secretId: string) => Promise<string>;

/** A reader that asks Secrets Manager once per secret id for the life of the process. */
export function cachedSecrets(client: SecretsManagerClient): SecretReader {
  const cache = new Map<string, Promise<string>>();
  return (secretId) => {
    let value = cache.get(secretId);
    if (!value) {
      value = client.send(new GetSecretValueCommand({ SecretId: secretId })).then((out) => {
        if (!out.SecretString) throw new SecretUnreadableError(secretId);
        return out.SecretString;
      });
      value.catch(() => cache.delete(secretId));
      cache.set(secretId, value);
    }
    return value;
  };
}
