import { type App, CfnOutput, Stack, type StackProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { z } from 'zod';
import { ENV } from '../shared/config/env.js';
import { Api } from './constructs/api.js';
import { ConsoleAuth } from './constructs/console-auth.js';
import { ConsoleHosting } from './constructs/console-hosting.js';
import { DeployGuard, placeholderProblems } from './constructs/deploy-guard.js';
import { Inbound } from './constructs/inbound.js';
import { Messaging } from './constructs/messaging.js';
import { Observability } from './constructs/observability.js';
import { Runs } from './constructs/runs.js';
import { Schedules } from './constructs/schedules.js';
import { AppSecrets } from './constructs/secrets.js';
import { Store } from './constructs/store.js';
import { TwoWaySms } from './constructs/two-way-sms.js';
import { Uploads } from './constructs/uploads.js';
import { acknowledgeNagFindings } from './nag.js';
/** The stack's construct id: also the name of its template in cdk.out. */
import { STACK_ID } from './names.js';
import { ApiSettings, settingsFromContext, smsIdentityOf, type TouchpointSettings } from './settings.js';

export { STACK_ID };

export interface TouchpointStackProps extends StackProps {
  settings: TouchpointSettings;
}

/** The architecture, part by part, each with its grants (DESIGN: parts and components). */
export class TouchpointStack extends Stack {
  readonly store: Store;
  readonly messaging: Messaging;
  readonly runs: Runs;
  readonly schedules: Schedules;
  readonly inbound: Inbound;
  readonly twoWaySms: TwoWaySms;
  readonly observability: Observability;
  readonly api: Api;
  readonly consoleAuth: ConsoleAuth;
  readonly console: ConsoleHosting;
  readonly uploads: Uploads;
  readonly secrets: AppSecrets;
  readonly deployGuard: DeployGuard;

  constructor(scope: Construct, id: string, props: TouchpointStackProps) {
    super(scope, id, props);
    const { settings } = props;
    Tags.of(this).add('app', 'touchpoint');
    Tags.of(this).add('env', settings.envName);

    const smsIdentity = smsIdentityOf(settings);
    this.deployGuard = new DeployGuard(this, 'DeployGuard', {
      problems: placeholderProblems(settings),
      sandbox: settings.sandbox,
    });
    this.secrets = new AppSecrets(this, 'Secrets');
    this.store = new Store(this, 'Store', { dayIndexMigration: settings.dayIndexMigration });
    const { table } = this.store;

    this.messaging = new Messaging(this, 'Messaging', {
      senderEmail: settings.senderEmail,
      senderDomain: settings.senderDomain,
      smsOriginationIdentity: smsIdentity,
      smsMaxPerSecond: settings.smsMaxPerSecond,
    });
    const { bus, defaultBus, configurationSet } = this.messaging;

    this.runs = new Runs(this, 'Runs', {
      table,
      bus,
      messaging: this.messaging,
      sendConcurrency: settings.sendConcurrency,
      lookbackDays: settings.lookbackDays,
    });

    this.schedules = new Schedules(this, 'Schedules', {
      stateMachine: this.runs.stateMachine,
      expression: settings.scheduleExpression,
      timeZone: settings.scheduleTimeZone,
    });

    this.inbound = new Inbound(this, 'Inbound', {
      table,
      bus,
      defaultBus,
      configurationSetName: configurationSet.configurationSetName,
      smsEvents: this.messaging.smsEvents,
    });

    this.twoWaySms = new TwoWaySms(this, 'TwoWaySms', {
      table,
      smsOriginationIdentity: smsIdentity,
      smsMaxPerSecond: settings.smsMaxPerSecond,
    });
    new CfnOutput(this, 'InboundSmsTopicArn', {
      value: this.twoWaySms.topic.topicArn,
      description: "Two-way SMS: set it as the phone number's two-way destination (docs/two-way-sms.md)",
    });

    this.api = new Api(this, 'Api', {
      table,
      bus,
      stateMachine: this.runs.stateMachine,
      email: {
        senderEmail: settings.senderEmail,
        configurationSetName: configurationSet.configurationSetName,
      },
      smsOriginationIdentity: smsIdentity,
      smsMaxPerSecond: settings.smsMaxPerSecond,
      envName: settings.envName,
      settings: settings.api ?? ApiSettings.parse({}),
      secrets: this.secrets,
    });
    // The console: its build on S3 behind CloudFront, the API on the same origin at /console/v1/*
    // behind the user pool's authorizer (/v1 stays IAM). The hosted UI sends the browser back to
    // the distribution's /console/, or to context `consoleUrl` (a domain of your own in front).
    const consoleUrl = z.url().optional().parse(this.node.tryGetContext('consoleUrl'));
    this.console = new ConsoleHosting(this, 'Console', { restApi: this.api.restApi });
    const consoleAppUrl = consoleUrl ?? this.console.url;
    this.consoleAuth = new ConsoleAuth(this, 'ConsoleAuth', {
      envName: settings.envName,
      callbackUrls: [consoleAppUrl],
    });
    this.consoleAuth.authorize(this.api.restApi, this.api.integration);
    this.console.connectSignIn({
      domainUrl: this.consoleAuth.hostedUiUrl,
      clientId: this.consoleAuth.client.userPoolClientId,
      appUrl: consoleAppUrl,
    });
    new CfnOutput(this, 'ConsoleUrl', { value: this.console.url, description: 'The marketing-ops console' });
    // Runs are built before the API (it starts them), so send-batch learns the link base here.
    this.runs.sendBatch
      .bindSecret(ENV.unsubscribeSecretArn, this.secrets.unsubscribeKey)
      .setEnv(ENV.unsubscribeBaseUrl, this.api.publicBaseUrl);

    this.uploads = new Uploads(this, 'Uploads', { table, envName: settings.envName });
    this.uploads.bindPresigner(this.api.fn);

    const fns = {
      SelectRun: this.runs.selectRun,
      PlanRun: this.runs.planRun,
      SendBatch: this.runs.sendBatch,
      SummarizeRun: this.runs.summarizeRun,
      IngestEvent: this.inbound.ingestEvent,
      DeliveryEvents: this.inbound.deliveryEvents,
      InboundSms: this.twoWaySms.fn,
      Api: this.api.fn,
      ImportUpload: this.uploads.importer,
    };
    this.observability = new Observability(this, 'Observability', {
      stateMachine: this.runs.stateMachine,
      importMachine: this.uploads.stateMachine,
      functions: fns,
      deadLetterQueues: {
        Schedule: this.schedules.dlq,
        EventTargets: this.inbound.targetDlq,
        ...Object.fromEntries(Object.entries(fns).map(([label, fn]) => [`${label}Async`, fn.dlq])),
      },
      alarmEmail: settings.alarmEmail,
    });

    for (const fn of Object.values(fns)) fn.setEnv(ENV.envName, settings.envName);
    acknowledgeNagFindings(this);
  }
}

/** Builds the app's one stack from context settings and checks it with cdk-nag AwsSolutions. */
export function createTouchpointApp(app: App): TouchpointStack {
  const settings = settingsFromContext(app.node);
  const stack = new TouchpointStack(app, STACK_ID, {
    settings,
    description: 'Touchpoint: lifecycle outreach (runs, schedules, store, email and SMS)',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
