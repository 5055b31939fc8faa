// Sources and detail types of the events that travel over the buses: the stack's rules match
// them, the API and the run publish them, the local bus routes them. No CDK import here.
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
  /** Step Functions' own status events, on the default bus (a run execution that ended badly). */
  statesSource: 'aws.states',
  executionStatusChange: 'Step Functions Execution Status Change',
} as const;

/** The execution statuses after which a run that did not finish must be marked failed. */
export const EXECUTION_ENDED_BADLY = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;
