// Metric names and dimensions, shared by the handlers that emit them and the dashboard and alarms
// that read them (infra/constructs/observability.ts). No Powertools or CDK import here.

/** The CloudWatch namespace infra sets (POWERTOOLS_METRICS_NAMESPACE) and the dashboard reads. */
export const METRICS_NAMESPACE = 'Touchpoint';

export const METRIC_NAMES = {
  touchesSent: 'TouchesSent',
  touchesSuppressed: 'TouchesSuppressed',
  touchesFailed: 'TouchesFailed',
  runDurationMs: 'RunDurationMs',
  /** 1 when the reputation guard pauses a channel (docs/send-time-checks.md); emitted by delivery-events. */
  sendingPaused: 'SendingPaused',
  /** 1 per audit entry the API could not write (the change itself stood); emitted by api. */
  auditWriteFailed: 'AuditWriteFailed',
} as const;

/** The service dimension Powertools adds: POWERTOOLS_SERVICE_NAME, `touchpoint-<function>`. */
export const metricService = (functionName: string): string => `touchpoint-${functionName}`;

export const METRIC_DIMENSIONS = {
  campaign: 'campaignId',
  channel: 'channel',
  reason: 'reason',
} as const;
