import { ArnFormat, CfnElement, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  JsonSchemaType,
  JsonSchemaVersion,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  MethodLoggingLevel,
  type RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct, type IConstruct } from 'constructs';
import {
  GATEWAY_PROBLEMS,
  GATEWAY_RESPONSE_TYPES,
  gatewayProblemTemplate,
  STATUS_PER_REQUEST,
} from '../../shared/api/gateway-responses.js';
import { ENV } from '../../shared/config/env.js';
import { NotAResourceError } from '../nag.js';
import type { ApiSettings } from '../settings.js';
import { HouseFunction } from './house-function.js';
import type { AppSecrets } from './secrets.js';

export interface ApiProps {
  table: ITableV2;
  bus: IEventBus;
  /** The run state machine "run now" starts and the status endpoint describes. */
  stateMachine: StateMachine;
  /** Test sends (never to a customer) go through the same channels as runs. */
  email: { senderEmail: string; configurationSetName: string };
  smsOriginationIdentity: string | undefined;
  /** The SMS identity's messages per second, shared with the runs' senders. */
  smsMaxPerSecond: number;
  envName: string;
  settings: ApiSettings;
  secrets: AppSecrets;
}

/** The one tag key the partner store puts on a partner's secret (shared/partners/secrets-manager.ts). */
export const PARTNER_SECRET_TAG = 'touchpoint:partner';

/** The path of the webhook method, as stage method settings name it. */
export const WEBHOOK_PATH = '/webhooks/{partnerId}';
/** The path of the public unsubscribe routes (RFC 8058 one-click POST, and the preference page). */
export const UNSUBSCRIBE_PATH = '/u/{token}';

/** One JSON line per request: who (IAM principal or API key), what, how it ended, how long it took. */
function accessLogFormat(): AccessLogFormat {
  return AccessLogFormat.custom(
    JSON.stringify({
      requestId: AccessLogField.contextRequestId(),
      extendedRequestId: AccessLogField.contextExtendedRequestId(),
      requestTime: AccessLogField.contextRequestTime(),
      httpMethod: AccessLogField.contextHttpMethod(),
      resourcePath: AccessLogField.contextResourcePath(),
      path: AccessLogField.contextPath(),
      status: AccessLogField.contextStatus(),
      responseLength: AccessLogField.contextResponseLength(),
      responseLatency: AccessLogField.contextResponseLatency(),
      integrationLatency: AccessLogField.contextIntegrationLatency(),
      integrationStatus: AccessLogField.contextIntegrationStatus(),
      errorMessage: AccessLogField.contextErrorMessage(),
      responseType: AccessLogField.contextErrorResponseType(),
      sourceIp: AccessLogField.contextIdentitySourceIp(),
      userArn: AccessLogField.contextIdentityUserArn(),
      apiKeyId: AccessLogField.contextIdentityApiKeyId(),
      xrayTraceId: AccessLogField.contextXrayTraceId(),
      wafResponse: AccessLogField.contextWafResponseCode(),
    }),
  );
}

/**
 * The network interface: an API Gateway REST API in front of one Lambda running the Hono app.
 * Marketing-ops routes (/v1/*) are IAM-authorized (SigV4); the reference and the OpenAPI document
 * are public; partner webhooks carry only the Standard Webhooks headers the contract asks for —
 * the Lambda verifies the signature, then throttles each verified partner — behind a method
 * throttle (and an optional WAF) for floods; unsubscribe links carry their own signed token.
 */
export class Api extends Construct {
  readonly fn: HouseFunction<'api'>;
  readonly restApi: RestApi;
  readonly accessLogs: LogGroup;
  readonly webhookMethod: Method;
  readonly opsMethods: Method[];
  /** Routes anyone may call: the reference, the OpenAPI document, the unsubscribe routes. */
  readonly publicMethods: Method[];
  readonly webAcl: CfnWebACL | undefined;
  /** The Lambda proxy every method shares (the console's /console/v1 methods too: console-auth.ts). */
  readonly integration: LambdaIntegration;
  /** `https://<api id>.execute-api.<region>.<suffix>/<stage>/`: where unsubscribe links point. */
  readonly publicBaseUrl: string;
  /** Secret names of partners start with this (the Lambda reads nothing else). */
  readonly partnerSecretPrefix: string;

  private readonly stateMachineLogicalId: string;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const machine = props.stateMachine.node.defaultChild;
    if (!(machine instanceof CfnElement)) throw new NotAResourceError(props.stateMachine.node.path);
    this.stateMachineLogicalId = String(Stack.of(this).resolve(machine.logicalId));
    const { settings } = props;
    const stack = Stack.of(this);
    this.partnerSecretPrefix = `touchpoint/${props.envName}`;

    this.fn = new HouseFunction(this, 'ApiFn', {
      name: 'api',
      description: 'Marketing-ops API and partner webhooks (Hono behind API Gateway)',
      memorySize: 1024,
      // API Gateway gives up on an integration after 29 s.
      timeout: Duration.seconds(29),
      environment: {
        [ENV.envName]: props.envName,
        [ENV.stateMachineArn]: props.stateMachine.stateMachineArn,
        [ENV.partnerSecretPrefix]: this.partnerSecretPrefix,
        [ENV.partnerCacheSeconds]: String(settings.partnerCacheSeconds),
        [ENV.secretRolloverHours]: String(settings.secretRolloverHours),
        [ENV.maxBodyBytes]: String(settings.maxBodyBytes),
        [ENV.partnerRateLimit]: String(settings.partnerThrottle.rateLimit),
        [ENV.partnerBurstLimit]: String(settings.partnerThrottle.burstLimit),
      },
    })
      .bindTable(props.table)
      .bindBus(props.bus)
      .bindEmail(props.email)
      .bindSms(props.smsOriginationIdentity, props.smsMaxPerSecond)
      .bindSecret(ENV.unsubscribeSecretArn, props.secrets.unsubscribeKey)
      .bindSecret(ENV.pseudonymSecretArn, props.secrets.pseudonymKey);
    this.grantRuns(props.stateMachine);
    this.fn.addToRolePolicy(
      new PolicyStatement({
        // Read to verify webhooks; create and put for /v1/partners (add, rotate).
        actions: [
          'secretsmanager:GetSecretValue',
          'secretsmanager:CreateSecret',
          'secretsmanager:PutSecretValue',
        ],
        // Secrets Manager appends a random suffix to every secret ARN: a name prefix is the narrowest scope.
        resources: [this.partnerSecretArnPattern()],
      }),
    );
    // CreateSecret with tags also needs TagResource; only the partner tag the adapter writes.
    this.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:TagResource'],
        resources: [this.partnerSecretArnPattern()],
        conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [PARTNER_SECRET_TAG] } },
      }),
    );
    // GET /v1/partners: ListSecrets takes no resource scope; the store filters by the name prefix.
    this.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['secretsmanager:ListSecrets'], resources: ['*'] }),
    );

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.restApi = new RestApi(this, 'RestApi', {
      restApiName: `touchpoint-${props.envName}`,
      description: 'Touchpoint marketing-ops API and partner webhooks',
      endpointTypes: [EndpointType.REGIONAL],
      // The account-wide API Gateway → CloudWatch role is a per-region singleton: not this stack's to own.
      cloudWatchRole: false,
      deployOptions: {
        stageName: settings.stageName,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.OFF,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: accessLogFormat(),
        throttlingRateLimit: settings.throttle.rateLimit,
        throttlingBurstLimit: settings.throttle.burstLimit,
        methodOptions: {
          [`${WEBHOOK_PATH}/POST`]: {
            throttlingRateLimit: settings.webhookThrottle.rateLimit,
            throttlingBurstLimit: settings.webhookThrottle.burstLimit,
          },
          ...Object.fromEntries(
            ['GET', 'POST'].map((m) => [
              `${UNSUBSCRIBE_PATH}/${m}`,
              {
                throttlingRateLimit: settings.unsubscribeThrottle.rateLimit,
                throttlingBurstLimit: settings.unsubscribeThrottle.burstLimit,
              },
            ]),
          ),
        },
      },
    });
    this.addProblemResponses();

    // One integration object, so every method shares the proxy (and API Gateway one permission per method).
    const integration = new LambdaIntegration(this.fn, { proxy: true, allowTestInvoke: false });
    this.integration = integration;
    const iam = { authorizationType: AuthorizationType.IAM };
    const open = { authorizationType: AuthorizationType.NONE };
    const root = this.restApi.root;
    const v1 = root.addResource('v1');
    this.opsMethods = [
      v1.addMethod('ANY', integration, iam),
      v1.addResource('{proxy+}').addMethod('ANY', integration, iam),
    ];
    const unsubscribe = root.addResource('u').addResource('{token}');
    const token = { ...open, requestParameters: { 'method.request.path.token': true } };
    this.publicMethods = [
      root.addResource('openapi.json').addMethod('GET', integration, open),
      root.addResource('reference').addMethod('GET', integration, open),
      unsubscribe.addMethod('GET', integration, token),
      unsubscribe.addMethod('POST', integration, token),
    ];

    const validator: RequestValidator = this.restApi.addRequestValidator('WebhookBody', {
      requestValidatorName: 'webhook-body',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    // Only "a JSON object is there": the event's schema is checked by zod in the Lambda, which
    // answers with the problem details partners are documented to get.
    const eventModel = this.restApi.addModel('WebhookEvent', {
      contentType: 'application/json',
      modelName: 'WebhookEvent',
      schema: { schema: JsonSchemaVersion.DRAFT4, title: 'WebhookEvent', type: JsonSchemaType.OBJECT },
    });
    this.webhookMethod = root
      .addResource('webhooks')
      .addResource('{partnerId}')
      .addMethod('POST', integration, {
        authorizationType: AuthorizationType.NONE,
        requestValidator: validator,
        requestModels: { 'application/json': eventModel },
        requestParameters: { 'method.request.path.partnerId': true },
      });

    this.webAcl =
      settings.wafRateLimit === undefined ? undefined : this.addWaf(settings.wafRateLimit, props.envName);

    // Unsubscribe links point at the public API. Built from the API's id, not its URL: the URL names
    // the stage, whose deployment depends on the methods, hence on this function.
    this.publicBaseUrl = `https://${this.restApi.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${settings.stageName}/`;
    this.fn.setEnv(ENV.unsubscribeBaseUrl, this.publicBaseUrl);

    new CfnOutput(this, 'ApiUrl', { value: this.restApi.url, description: 'Base URL of the Touchpoint API' });
    this.acknowledgeNagFindings();
  }

  /** `arn:…:secret:<prefix>/partners/*`. */
  partnerSecretArnPattern(): string {
    return Stack.of(this).formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${this.partnerSecretPrefix}/partners/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** Start executions of the run state machine; describe executions of that state machine only. */
  private grantRuns(stateMachine: StateMachine): void {
    this.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachine.stateMachineArn] }),
    );
    this.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['states:DescribeExecution'],
        resources: [this.executionArnPattern(stateMachine)],
      }),
    );
  }

  private executionArnPattern(stateMachine: StateMachine): string {
    return Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${stateMachine.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /**
   * API Gateway's own refusals (unsigned, no such route, throttled, body not an object, too large…)
   * as RFC 9457 problem JSON with their status, the same bodies the Lambda and the local edge answer
   * (shared/api/gateway-responses.ts); throttles say when to retry.
   */
  private addProblemResponses(): void {
    for (const type of GATEWAY_RESPONSE_TYPES) {
      const p = GATEWAY_PROBLEMS[type];
      this.restApi.addGatewayResponse(type, {
        type: ResponseType.of(type),
        ...(!STATUS_PER_REQUEST.has(type) && { statusCode: String(p.status) }),
        responseHeaders: {
          'Content-Type': "'application/problem+json'",
          ...Object.fromEntries(Object.entries(p.headers ?? {}).map(([k, v]) => [k, `'${v}'`])),
        },
        templates: { 'application/json': gatewayProblemTemplate(type) },
      });
    }
  }

  /** A regional WebACL with one rate-based rule per client IP, on the stage. */
  private addWaf(limit: number, envName: string): CfnWebACL {
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    const acl = new CfnWebACL(this, 'WebAcl', {
      name: `touchpoint-${envName}-api`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`touchpoint-${envName}-api`),
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
      ],
    });
    new CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.restApi.deploymentStage.stageArn,
      webAclArn: acl.attrArn,
    });
    return acl;
  }

  /** The AwsSolutions findings the API accepts, each on the narrowest construct, each with its reason. */
  private acknowledgeNagFindings(): void {
    const ack = (scope: IConstruct, id: string, reason: string) =>
      Validations.of(scope).acknowledge({ id, reason });
    const role = this.fn.role ?? this.fn;
    ack(
      role,
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords, ses:GetAccount (the account send quota) and Secrets Manager ListSecrets accept only Resource *.',
    );
    ack(
      role,
      `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${this.partnerSecretPrefix}/partners/*]`,
      'Partner secrets only: their ARNs end in a random suffix, so a name prefix is the narrowest scope.',
    );
    ack(
      role,
      `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${this.stateMachineLogicalId}.Name>:*]`,
      'DescribeExecution on executions of the run state machine only (execution ARNs end in the run id).',
    );
    for (const m of this.opsMethods) {
      ack(
        m,
        'AwsSolutions::AwsSolutions-COG4',
        'Marketing-ops routes use IAM (SigV4) authorization, not Cognito.',
      );
    }
    ack(
      this.webhookMethod,
      'AwsSolutions::AwsSolutions-APIG4',
      'Partners authenticate by Standard Webhooks signature, verified in the Lambda (it needs the raw body); each verified partner is throttled there, and the method at the gateway.',
    );
    ack(
      this.webhookMethod,
      'AwsSolutions::AwsSolutions-COG4',
      'Partners authenticate by Standard Webhooks signature, not by a Cognito user pool.',
    );
    for (const m of this.publicMethods) {
      ack(
        m,
        'AwsSolutions::AwsSolutions-APIG4',
        'Public by design: the API reference and OpenAPI document, and unsubscribe links (RFC 8058 one-click needs no login; the token in the path is signed and verified in the Lambda; the method is throttled).',
      );
      ack(
        m,
        'AwsSolutions::AwsSolutions-COG4',
        'Public by design: no user signs in to read the reference or unsubscribe.',
      );
    }
    ack(
      this.restApi.deploymentStage,
      'AwsSolutions::AwsSolutions-APIG6',
      'JSON access logs are on for every method; execution logs need the account-wide API Gateway CloudWatch role.',
    );
    if (this.webAcl === undefined) {
      ack(
        this.restApi.deploymentStage,
        'AwsSolutions::AwsSolutions-APIG3',
        'WAF is optional (setting api.wafRateLimit); without it, stage and per-partner usage-plan throttles apply.',
      );
    }
  }
}
