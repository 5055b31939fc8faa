// Names shared by the constructs that set them and the handlers that read them. No CDK import here,
// so `functions/` and `shared/` may import this file without pulling aws-cdk-lib into a bundle.

/** Environment variables the house constructs set on a function (only those its grants call for). */
export const FUNCTION_ENV = {
  /** The single DynamoDB table (set by `bindTable`). */
  tableName: 'TABLE_NAME',
  /** The project's EventBridge bus (set by `bindBus`). */
  eventBusName: 'EVENT_BUS_NAME',
  /** The From address of every email (set by `bindEmail`). */
  senderEmail: 'SENDER_EMAIL',
  /** The SES v2 configuration set whose event destination feeds delivery events back (set by `bindEmail`). */
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  /** End User Messaging SMS origination identity ARN; unset means SMS sends are disabled (set by `bindSms`). */
  smsOriginationIdentity: 'SMS_ORIGINATION_IDENTITY',
  /** How many past local days a scheduled run catches up (set on select-run). */
  lookbackDays: 'LOOKBACK_DAYS',
  /** Deployment name, e.g. dev / prod (set on every function). */
  envName: 'TOUCHPOINT_ENV',
} as const;

/** Sources and detail types of the events that travel over the buses. */
export const EVENT_NAMES = {
  /** Our own events on the project bus. */
  source: 'touchpoint',
  runCompleted: 'RunCompleted',
  /** Partner customer events (webhook → API → project bus → ingest-event). */
  partnerSource: 'touchpoint.partner',
  customerEvent: 'CustomerEvent',
  /** Delivery events arrive on the account's default bus: SES may only publish there. */
  sesSource: 'aws.ses',
  smsSource: 'aws.sms-voice',
  smsDeliveryStatus: 'Text Message Delivery Status Updated',
} as const;
