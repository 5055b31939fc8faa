// How each kind of resource the stack declares behaves locally: either the local runtime reads it
// from the synthesized template and does what it says (`local`), or it cannot, and the difference
// is stated and asserted on the template by a named test (`difference` + `assertedBy`). A resource
// type the stack gains without an entry here fails test/infra/local-parity.test.ts; the table in
// docs/local-vs-cloud.md is this list, for people.

export type Parity =
  | { local: string }
  | {
      difference: string;
      /** `test/…/file.test.ts › name`: the test that asserts the cloud's behaviour on the template. */
      assertedBy: string;
    };

export const LOCAL_PARITY: Record<string, Parity> = {
  'AWS::DynamoDB::GlobalTable': {
    local: 'local/assembly-tables.ts creates it in DynamoDB Local: keys, indexes and projections as declared',
  },
  'AWS::StepFunctions::StateMachine': {
    local: "local/run-executor.ts runs the template's ASL in aws-local-stepfunctions, task timeouts included",
  },
  'AWS::Lambda::Function': {
    local: "the function's entry (touchpoint:entry) runs in-process with the environment the template sets",
  },
  'AWS::Scheduler::Schedule': {
    local:
      'local/assembly-schedules.ts reads expression, zone and input; `touchpoint run` / `npm start` fire it',
  },
  'AWS::Events::EventBus': {
    local: 'local/bus-rules.ts: the project bus, an append-only log in the data dir',
  },
  'AWS::Events::Rule': {
    local:
      'local/bus-rules.ts: pattern, targets, InputPath, retry policy and dead-letter file from the template',
  },
  'AWS::ApiGateway::RestApi': { local: 'local/edge/: the local API Gateway in front of the same Hono app' },
  'AWS::ApiGateway::Resource': { local: 'local/edge/: routes matched as API Gateway matches them' },
  'AWS::ApiGateway::Method': {
    local:
      'local/edge/: authorization (IAM = the development token locally; Cognito = a local ID token or the development token), validator and models',
  },
  'AWS::ApiGateway::Authorizer': {
    local:
      'local/edge/: a COGNITO_USER_POOLS method takes an ID token of the data dir’s issuer (touchpoint users token), checked against the local users, or the development token; missing or bad: 401',
  },
  'AWS::Cognito::UserPool': {
    difference:
      'Locally the console’s users are in <dataDir>/console-users.json (touchpoint users add/remove): no passwords, MFA or threat protection; `touchpoint users token` issues the ID token directly.',
    assertedBy:
      'test/infra/console-auth.test.ts › administrators create users; TOTP MFA is required; passwords are strong; the Plus plan enforces threat protection',
  },
  'AWS::Cognito::UserPoolGroup': {
    local:
      'local/console-users.ts: each local user has one of the groups, carried in the token’s cognito:groups',
  },
  'AWS::Cognito::UserPoolClient': {
    difference:
      'No app client or code exchange locally: a local token’s aud is touchpoint-console-local and it lives 12 h (no refresh token).',
    assertedBy:
      'test/infra/console-auth.test.ts › has a public app client for the authorization-code grant (PKCE), no secret, no implicit grant',
  },
  'AWS::Cognito::UserPoolDomain': {
    difference:
      'No hosted UI locally: sign in with the token `touchpoint users token` prints, or the development token.',
    assertedBy:
      'test/infra/console-auth.test.ts › has a hosted UI domain whose prefix is derived from the stack, and outputs what the hosting needs',
  },
  'AWS::ApiGateway::RequestValidator': { local: 'local/edge/: the body check before the Lambda' },
  'AWS::ApiGateway::Model': { local: 'local/edge/: the JSON schema the validator applies (ajv)' },
  'AWS::ApiGateway::GatewayResponse': {
    local: "local/edge/: the template's problem bodies, status and headers",
  },
  'AWS::ApiGateway::Deployment': {
    difference: 'Locally there is no stage: paths have no /<stage> prefix.',
    assertedBy:
      'test/infra/api.test.ts › the stage: JSON access logs, X-Ray, default and webhook method throttling',
  },
  'AWS::ApiGateway::Stage': {
    difference:
      'Stage and method throttles (50 rps stage, 100 rps webhooks, 20 rps unsubscribe) and access logs are not applied locally; per-partner throttles are (in the Lambda).',
    assertedBy:
      'test/infra/api.test.ts › the stage: JSON access logs, X-Ray, default and webhook method throttling',
  },
  'AWS::Lambda::Permission': {
    difference: 'Resource policies are not enforced locally: every local caller may invoke every handler.',
    assertedBy: 'test/infra/api.test.ts › proxies every method to the API Lambda',
  },
  'AWS::IAM::Role': {
    difference: 'IAM is not enforced locally: a handler could do locally what its role forbids in the cloud.',
    assertedBy:
      'test/infra/least-privilege.test.ts › has a role for every function, and expectations for every role',
  },
  'AWS::IAM::Policy': {
    difference: 'IAM is not enforced locally.',
    assertedBy:
      'test/infra/least-privilege.test.ts › exactly the actions its handler makes, on the table ARN',
  },
  'AWS::SQS::Queue': {
    difference:
      "Lambda's own dead-letter queues do not exist locally; bus targets' dead letters go to <dataDir>/bus-dlq.ndjson (touchpoint bus dlq).",
    assertedBy: 'test/infra/template.test.ts › every DLQ is encrypted and refuses plain HTTP',
  },
  'AWS::SQS::QueuePolicy': {
    difference: 'Queue policies are IAM: not enforced locally.',
    assertedBy: 'test/infra/template.test.ts › every DLQ is encrypted and refuses plain HTTP',
  },
  'AWS::Logs::LogGroup': {
    difference:
      'Logs go to <dataDir>/logs (touchpoint logs) with no retention; in the cloud each group keeps its retention.',
    assertedBy:
      'test/infra/template.test.ts › every function is arm64 on nodejs24.x with X-Ray, JSON logs in its own group and a DLQ',
  },
  'AWS::CloudWatch::Alarm': {
    difference: 'No metrics or alarms locally.',
    assertedBy: 'test/infra/template.test.ts › alarms on failed runs, function errors and DLQ depth',
  },
  'AWS::CloudWatch::Dashboard': {
    difference: 'No dashboard locally.',
    assertedBy: 'test/infra/template.test.ts › alarms on failed runs, function errors and DLQ depth',
  },
  'AWS::SNS::Topic': {
    difference:
      'The alarm topic has no local counterpart (no alarms locally). The two-way SMS topic has none either: locally `touchpoint sms reply FROM TEXT` and the SMS page reply box wrap the message as the SNS record and call the same handler (local/inbound-sms.ts).',
    assertedBy:
      'test/infra/two-way-sms.test.ts › has a topic, encrypted with a rotated customer key, that only allows TLS',
  },
  'AWS::SNS::TopicPolicy': {
    difference: 'Topic policies are IAM: not enforced locally.',
    assertedBy:
      'test/infra/two-way-sms.test.ts › has a topic, encrypted with a rotated customer key, that only allows TLS',
  },
  'AWS::SNS::Subscription': {
    difference:
      'No alarm notifications locally; the inbound-sms subscription is called in-process by `touchpoint sms reply` and the reply box, without its SNS retries and dead-letter queue.',
    assertedBy:
      'test/infra/two-way-sms.test.ts › subscribes the inbound-sms function, with a dead-letter queue for what SNS cannot deliver',
  },
  'AWS::SecretsManager::Secret': {
    difference:
      "Generated keys live in the data dir (owner-only); partner secrets in the table. Secrets Manager's read cache (api.partnerCacheSeconds) applies in the cloud only.",
    assertedBy:
      'test/infra/api.test.ts › is granted named resources only: its state machine, the partner secret prefix, no * on data',
  },
  'AWS::KMS::Key': {
    difference: 'Nothing is encrypted at rest locally beyond file permissions (0600 files, 0700 dirs).',
    assertedBy: 'test/infra/template.test.ts › is one on-demand table with PITR and encryption at rest',
  },
  'AWS::S3::Bucket': {
    difference:
      'Uploads go to the local API (local/uploads.ts), not S3: presigned-URL expiry and S3 error answers differ. The console bucket is the local console build (Custom::CDKBucketDeployment).',
    assertedBy:
      'test/infra/uploads.test.ts › is encrypted, blocks public access, expires uploads after 7 days',
  },
  'AWS::S3::BucketPolicy': {
    difference: 'Bucket policies are IAM: not enforced locally.',
    assertedBy: 'test/infra/uploads.test.ts › refuses plain HTTP in its bucket policy',
  },
  'AWS::SES::ConfigurationSet': {
    difference:
      'The local email server accepts any sender and recipient: SES sandbox rejections and sending quotas apply in the cloud only.',
    assertedBy:
      'test/infra/template.test.ts › publishes SES events of its configuration set to EventBridge (the default bus)',
  },
  'AWS::SES::ConfigurationSetEventDestination': {
    local:
      "local/provider-feedback.ts: the local email server reports SES's events for the mailbox-simulator addresses (and opens and clicks pressed on the mailbox page) on the local default bus, whose rules come from the template",
  },
  'AWS::SMSVOICE::ConfigurationSet': {
    local:
      "local/provider-feedback.ts: the SMS sink reports End User Messaging's events for its simulator numbers to the handler the template subscribes to the configuration set's topic",
  },
  'AWS::SES::EmailIdentity': {
    difference: 'No identity verification or DKIM locally.',
    assertedBy:
      'test/infra/deploy-guard.test.ts › names what is a placeholder: reserved domains, and an SMS decision not made',
  },
  // The console (infra/constructs/console-hosting.ts; docs/console.md, "Serving").
  'AWS::CloudFront::Distribution': {
    local:
      'local/console-static.ts: the console on the API’s port, split by the same path pattern (/console/v1/* and everything outside /console to the API), files from the console build',
  },
  'AWS::CloudFront::Function': {
    local:
      'local/console-static.ts evaluates the same file, infra/console-viewer-request.js, on every static path',
  },
  'AWS::CloudFront::ResponseHeadersPolicy': {
    local: 'local/console-static.ts sends the same CSP and security headers (infra/console-site.ts)',
  },
  'AWS::CloudFront::OriginAccessControl': {
    difference:
      'Locally the build directory is read directly; a missing file is 404 there, 403 from S3 behind origin access control.',
    assertedBy:
      'test/infra/console-hosting.test.ts › reads the bucket through origin access control and the API through API Gateway',
  },
  'Custom::CDKBucketDeployment': {
    difference:
      'Nothing is copied locally: the server reads .touchpoint/console-build/<hash>/ and answers config.json itself (auth kind local).',
    assertedBy:
      'test/infra/console-hosting.test.ts › deploys a config.json naming the user pool client, its hosted UI and the distribution',
  },
  'AWS::Lambda::LayerVersion': {
    difference:
      'The AWS CLI layer of the console deployment’s handler, which runs only when CloudFormation deploys.',
    assertedBy:
      'test/infra/console-hosting.test.ts › gives the deployment handler its own role and log group, not the managed basic-execution policy',
  },
  'AWS::WAFv2::WebACL': {
    difference: 'No WAF locally (optional in the cloud: api.wafRateLimit).',
    assertedBy: 'test/infra/api.test.ts › when set: a regional WebACL with a per-IP rate rule, on the stage',
  },
  'AWS::WAFv2::WebACLAssociation': {
    difference: 'No WAF locally.',
    assertedBy: 'test/infra/api.test.ts › when set: a regional WebACL with a per-IP rate rule, on the stage',
  },
};
