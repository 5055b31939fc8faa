import { Aws, CfnOutput, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import {
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  IdentitySource,
  type LambdaIntegration,
  type Method,
  type RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '../../shared/api/principal.js';

/** Where the console runs when no hosting URL is given: `touchpoint serve` on its default port. */
export const DEFAULT_CONSOLE_CALLBACK = 'http://localhost:8787/console/';

/** The console's token lifetimes (docs/console-auth.md): short ID/access tokens, a working day to refresh. */
export const CONSOLE_TOKEN_LIFETIMES = {
  idToken: Duration.hours(1),
  accessToken: Duration.hours(1),
  refreshToken: Duration.hours(12),
} as const;

export interface ConsoleAuthProps {
  envName: string;
  /** Where the hosted UI may send the browser back with a code (the console's URL). */
  callbackUrls?: string[];
  /** Where it may send it after sign-out; defaults to the callback URLs. */
  logoutUrls?: string[];
}

/**
 * Sign-in for the browser console: a Cognito user pool the stack owns (administrators create users,
 * no self sign-up; TOTP MFA required; the Plus plan's threat protection enforced), the groups that
 * are the API's roles, a public app client for the authorization-code grant with PKCE, and a hosted
 * UI domain whose prefix comes from the stack's id. `authorize` puts the API's /console/v1 routes
 * behind the pool's authorizer; /v1 stays IAM.
 */
export class ConsoleAuth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`: the hosted UI (and its /oauth2 endpoints). */
  readonly hostedUiUrl: string;
  /** The /console/v1 methods, once `authorize` has added them. */
  readonly methods: Method[] = [];

  constructor(scope: Construct, id: string, props: ConsoleAuthProps) {
    super(scope, id);
    const callbackUrls = props.callbackUrls ?? [DEFAULT_CONSOLE_CALLBACK];

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      // The people who may change what customers receive: kept when the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Group names are the API's roles (shared/api/principal.ts); a lower precedence wins in a token.
    for (const [precedence, role] of [...ROLES].reverse().entries()) {
      this.userPool.addGroup(`Group-${role}`, {
        groupName: role,
        precedence,
        description: `Touchpoint console ${role}s`,
      });
    }

    this.client = this.userPool.addClient('ConsoleClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: CONSOLE_TOKEN_LIFETIMES.idToken,
      accessTokenValidity: CONSOLE_TOKEN_LIFETIMES.accessToken,
      refreshTokenValidity: CONSOLE_TOKEN_LIFETIMES.refreshToken,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        // Authorization code only (Cognito requires PKCE of a public client's code exchange by the
        // browser; no implicit grant, no client secret).
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls,
        logoutUrls: props.logoutUrls ?? callbackUrls,
      },
    });

    // Unique per stack, no hard-coded name: the first block of the stack's GUID.
    const stackGuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
    this.domain = this.userPool.addDomain('HostedUi', {
      cognitoDomain: {
        domainPrefix: Fn.join('-', ['touchpoint', props.envName, Fn.select(0, Fn.split('-', stackGuid))]),
      },
    });
    this.hostedUiUrl = this.domain.baseUrl();

    new CfnOutput(this, 'ConsoleUserPoolId', {
      value: this.userPool.userPoolId,
      description:
        'Console sign-in: the Cognito user pool (create users with aws cognito-idp admin-create-user)',
    });
    new CfnOutput(this, 'ConsoleClientId', {
      value: this.client.userPoolClientId,
      description: 'Console sign-in: the app client id (authorization code + PKCE, no secret)',
    });
    new CfnOutput(this, 'ConsoleHostedUiUrl', {
      value: this.hostedUiUrl,
      description: 'Console sign-in: the hosted UI base URL (/oauth2/authorize, /oauth2/token, /logout)',
    });
  }

  /**
   * `/console/v1` and `/console/v1/{proxy+}` on the REST API, into the same Lambda as /v1, behind a
   * Cognito user pools authorizer reading the ID token from the Authorization header. The Lambda
   * routes them as /v1 (shared/api/app.ts) and reads the role from the token's groups.
   */
  authorize(api: RestApi, integration: LambdaIntegration): Method[] {
    const authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [this.userPool],
      identitySource: IdentitySource.header('Authorization'),
      resultsCacheTtl: Duration.minutes(5),
    });
    const cognito = { authorizationType: AuthorizationType.COGNITO, authorizer };
    const v1 = api.root.addResource('console').addResource('v1');
    this.methods.push(
      v1.addMethod('ANY', integration, cognito),
      v1.addResource('{proxy+}').addMethod('ANY', integration, cognito),
    );
    return this.methods;
  }
}
