// SigV4 for a deployed API: API Gateway authorizes /v1 with IAM, so without a token each request is
// signed (service execute-api) with the default AWS credential chain, as the AWS CLI would sign it.
import { createHash, type Hash } from 'node:crypto';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import { UsageError } from '../errors.js';

/** The smithy signer's checksum contract over node:crypto (no extra hashing package needed). */
class Sha256 {
  private hash: Hash = createHash('sha256');
  update(data: Uint8Array | string): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = createHash('sha256');
  }
}

/** `https://{id}.execute-api.{region}.amazonaws.com/...`; a custom domain needs AWS_REGION. */
export function regionOf(url: URL, env: NodeJS.ProcessEnv = process.env): string {
  const match = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/i.exec(url.hostname);
  const region = match?.[1] ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region)
    throw new UsageError(
      `cannot tell the AWS region of ${url.origin}: set AWS_REGION, or pass --token for a local API`,
    );
  return region;
}

export interface SignableRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Uint8Array | string;
}

export type Signer = (req: SignableRequest) => Promise<Record<string, string>>;

/** A signer for one API URL; credentials are resolved once, on the first request. */
export function sigV4Signer(apiUrl: URL): Signer {
  const signer = new SignatureV4({
    service: 'execute-api',
    region: regionOf(apiUrl),
    credentials: fromNodeProviderChain(),
    sha256: Sha256,
  });
  return async ({ method, url, headers, body }) => {
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port !== '' && { port: Number(url.port) }),
      path: url.pathname,
      query,
      headers: { ...headers, host: url.host },
      ...(body !== undefined && { body }),
    });
    return signed.headers;
  };
}
