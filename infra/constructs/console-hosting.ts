// The console in the cloud: its static build in a private bucket behind CloudFront (origin access
// control), and the API on the same origin at /console/v1/* (a second behavior to API Gateway), so
// the browser makes no cross-origin call and the API needs no CORS. docs/console.md, "Serving".

import { cpSync } from 'node:fs';
import {
  AssetHashType,
  CfnElement,
  DockerImage,
  Duration,
  Lazy,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginRequestPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { RestApiOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, type ISource, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { CONSOLE_SOURCE_DIR, consoleBuildSync, consoleSourceHash } from '../../local/console-assets.js';
import {
  CACHE_CONTROL,
  CONSOLE_API_BASE,
  CONSOLE_API_PATH_PATTERN,
  CONSOLE_ASSETS_DIR,
  CONSOLE_BASE,
  consoleCsp,
  SECURITY_HEADERS,
  VIEWER_REQUEST_FUNCTION_FILE,
} from '../console-site.js';

/** BucketDeployment's singleton handler id (aws-cdk-lib's own constant). */
const HANDLER_UUID = '8693BB64968944B69AAFB0CC9EB8756C';
/**
 * The logical id prefix of BucketDeployment's handler: a CDK function that runs at deploy time only,
 * invoked by CloudFormation. The template tests that hold every runtime function to the house
 * defaults (arm64, nodejs24.x, X-Ray, a DLQ) leave it out by this id; test/infra/console-hosting.test.ts
 * says what it is allowed instead.
 */
export const DEPLOYMENT_HANDLER_ID_PREFIX = `CustomCDKBucketDeployment${HANDLER_UUID}`;

const logicalId = (c: Construct): string => {
  const cfn = c.node.defaultChild;
  if (!(cfn instanceof CfnElement)) throw new Error(`${c.node.path} has no CloudFormation resource`);
  return String(Stack.of(c).resolve(cfn.logicalId));
};

/** The S3 key prefix of the build: the bucket's keys are the console's paths. */
const KEY_PREFIX = CONSOLE_BASE.slice(1);

/** How the browser signs in: the Cognito hosted UI of the console's user pool. */
export interface ConsoleSignIn {
  /** The hosted UI's base URL, `https://<prefix>.auth.<region>.amazoncognito.com`. */
  domainUrl: string;
  /** The browser's app client (authorization code with PKCE, no secret). */
  clientId: string;
  /** Where the hosted UI sends the browser back (and after sign-out). Default: `url`. */
  appUrl?: string;
}

export interface ConsoleHostingProps {
  /** The REST API whose stage answers /console/v1/* (same origin for the browser). */
  restApi: RestApi;
}

/**
 * The console's build as a deployable source: CDK's local bundling runs the same build as
 * `npm start` (local/console-assets.ts), cached by the same content hash, which is also the
 * asset's hash. No Docker: the image is named only because CDK requires one.
 */
export function consoleBuildSource(): ISource {
  return Source.asset(CONSOLE_SOURCE_DIR, {
    assetHashType: AssetHashType.CUSTOM,
    assetHash: consoleSourceHash(),
    bundling: {
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
      local: {
        tryBundle(outputDir) {
          // The kept build is copied: the next synth (another outdir) copies it again.
          cpSync(consoleBuildSync().dir, outputDir, { recursive: true });
          return true;
        },
      },
    },
  });
}

export class ConsoleHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly headers: ResponseHeadersPolicy;
  /** `https://<distribution>/console/`: the app's URL, the sign-in callback and logout URL. */
  readonly url: string;
  private cognitoOrigin: string | undefined;
  private readonly source: ISource;
  private readonly assetsDeployment: BucketDeployment;
  private readonly deployLogs: LogGroup;
  private readonly deployRole: Role;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // The build is reproducible from the repository: nothing to keep when the stack goes.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason:
        'The bucket holds the public build only, read through CloudFront alone (origin access control) and written only by the stack’s deployment, which CloudFormation’s events record. Access logs would log CloudFront’s reads of static files.',
    });

    this.headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Touchpoint console: CSP and security headers (infra/console-site.ts)',
      securityHeadersBehavior: {
        // Resolved at synth: the Cognito origin is known once the sign-in is connected.
        contentSecurityPolicy: {
          contentSecurityPolicy: Lazy.string({
            produce: () => consoleCsp(this.cognitoOrigin ? { cognitoOrigin: this.cognitoOrigin } : {}),
          }),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(SECURITY_HEADERS.strictTransportSecurity.maxAgeSeconds),
          includeSubdomains: SECURITY_HEADERS.strictTransportSecurity.includeSubdomains,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.SAME_ORIGIN, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: SECURITY_HEADERS.permissionsPolicy, override: true },
        ],
      },
    });

    const viewerRequest = new CloudFrontFunction(this, 'ViewerRequest', {
      code: FunctionCode.fromFile({ filePath: VIEWER_REQUEST_FUNCTION_FILE }),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Console paths to S3 keys: /console → /console/, directories and app routes → index.html',
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Touchpoint console (${stack.stackName})`,
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
        functionAssociations: [{ function: viewerRequest, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        // The API, same origin: never cached; every viewer header but Host (API Gateway routes by
        // its own host name), Authorization included, which CloudFront forwards when caching is off.
        [CONSOLE_API_PATH_PATTERN]: {
          origin: new RestApiOrigin(props.restApi),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.headers,
        },
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}${CONSOLE_BASE}`;
    this.acknowledgeDistributionFindings();

    this.source = consoleBuildSource();
    this.deployLogs = new LogGroup(this, 'DeployLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role, as HouseFunction's: the log group above, not the AWSLambdaBasicExecutionRole policy.
    this.deployRole = new Role(this, 'DeployRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    this.deployLogs.grantWrite(this.deployRole);
    // Hashed assets first, kept across deploys (an open tab may still load the previous chunks).
    this.assetsDeployment = new BucketDeployment(this, 'DeployAssets', {
      sources: [this.source],
      destinationBucket: this.bucket,
      destinationKeyPrefix: KEY_PREFIX,
      exclude: ['*'],
      include: [`${CONSOLE_ASSETS_DIR}/*`],
      prune: false,
      cacheControl: [CacheControl.fromString(CACHE_CONTROL.immutable)],
      logGroup: this.deployLogs,
      role: this.deployRole,
    });
    this.acknowledgeDeploymentFindings();
  }

  /**
   * Connects the hosted UI: its origin joins the CSP's connect-src (the app exchanges its code for
   * tokens there) and config.json tells the app how to sign in. Called once, by the stack.
   */
  connectSignIn(signIn: ConsoleSignIn): BucketDeployment {
    this.cognitoOrigin = signIn.domainUrl;
    const config = {
      apiBase: CONSOLE_API_BASE,
      auth: {
        kind: 'cognito',
        domain: signIn.domainUrl,
        clientId: signIn.clientId,
        redirectUri: signIn.appUrl ?? this.url,
        logoutUri: signIn.appUrl ?? this.url,
      },
    };
    // index.html and config.json after the assets they name; revalidated on every load, so no
    // invalidation is needed (it would take cloudfront:CreateInvalidation on every distribution).
    const pages = new BucketDeployment(this, 'DeployPages', {
      sources: [this.source, Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      destinationKeyPrefix: KEY_PREFIX,
      exclude: [`${CONSOLE_ASSETS_DIR}/*`],
      prune: true,
      cacheControl: [CacheControl.fromString(CACHE_CONTROL.revalidate)],
      logGroup: this.deployLogs,
      role: this.deployRole,
    });
    pages.node.addDependency(this.assetsDeployment);
    return pages;
  }

  /** BucketDeployment's grants to its role, and its handler (a CDK singleton at the stack's root). */
  private acknowledgeDeploymentFindings(): void {
    const policy = this.deployRole.node.tryFindChild('DefaultPolicy') ?? this.deployRole;
    const grants: [string, string][] = [
      [
        'Action::s3:GetObject*',
        'CDK’s read grant on the asset bucket (GetObject, GetObjectVersion…): reads the build’s zip.',
      ],
      ['Action::s3:GetBucket*', 'CDK’s read grant on the asset bucket: the sync reads its location.'],
      ['Action::s3:List*', 'CDK’s read and write grants: the sync lists source and destination.'],
      [
        'Action::s3:DeleteObject*',
        'CDK’s write grant on the console bucket: prune removes files a new build no longer has.',
      ],
      ['Action::s3:Abort*', 'CDK’s write grant on the console bucket: aborts a failed multipart upload.'],
      [
        'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
        'Objects of the CDK bootstrap asset bucket, where the build’s zip is uploaded (its key is a hash known at deploy).',
      ],
      [
        `Resource::<${logicalId(this.bucket)}.Arn>/*`,
        'Every object of the console bucket: the deployment writes the whole build.',
      ],
    ];
    for (const [finding, reason] of grants) {
      Validations.of(policy).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${finding}]`, reason });
    }
    const handler = Stack.of(this).node.tryFindChild(`Custom::CDKBucketDeployment${HANDLER_UUID}`);
    if (handler) {
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions::AwsSolutions-L1',
        reason:
          'BucketDeployment’s handler runtime is the one aws-cdk-lib pins and tests with its bundled AWS CLI layer; it moves with aws-cdk-lib upgrades.',
      });
    }
  }

  private acknowledgeDistributionFindings(): void {
    const ack = (id: string, reason: string) =>
      Validations.of(this.distribution).acknowledge({ id: `AwsSolutions::AwsSolutions-${id}`, reason });
    ack(
      'CFR1',
      'Marketing ops sign in from wherever they work; access is by Cognito sign-in, not by country.',
    );
    ack(
      'CFR2',
      'A CloudFront web ACL must live in us-east-1, outside this regional stack; the static files are public by nature and /console/v1 reaches the API, whose own web ACL and throttles apply.',
    );
    ack(
      'CFR3',
      'Standard logs would record downloads of the same static files for everyone. Every data request goes through /console/v1 to API Gateway, whose access log records it, and every change is in the audit log with the signed-in user.',
    );
    ack(
      'CFR4',
      'The distribution uses its default *.cloudfront.net certificate (no custom domain configured), which CloudFront serves with TLSv1 as the minimum; a custom domain with its own certificate can set TLSv1.2_2021.',
    );
  }
}
