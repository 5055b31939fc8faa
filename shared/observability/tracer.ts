// X-Ray on the SDK clients (Powertools Tracer): each DynamoDB, SES, SMS, Step Functions or Secrets
// Manager call becomes a subsegment of the invocation's trace. Outside Lambda the Tracer is
// disabled by itself and returns the client unchanged.
import { Tracer } from '@aws-lambda-powertools/tracer';

let tracer: Tracer | undefined;

export function traced<T>(client: T): T {
  tracer ??= new Tracer();
  return tracer.captureAWSv3Client(client);
}
