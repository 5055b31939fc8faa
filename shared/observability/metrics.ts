// Touchpoint's business metrics, as CloudWatch EMF through Powertools Metrics. Dimensions stay
// low-cardinality: campaign id and channel (and the suppression reason, a closed list) — never a
// customer or a run id. Each handler reports from its use case's result; the use cases import no
// AWS code. Outside Lambda (locally, in tests) nothing is emitted: the local runtime has no
// CloudWatch, and the ledger already holds the same counts.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC_DIMENSIONS, METRIC_NAMES, metricService } from './metric-names.js';

export { METRIC_DIMENSIONS, METRIC_NAMES, metricService };

/** What a touch came to, as the use cases report it. */
export interface TouchOutcome {
  campaignId: string;
  channel: string;
  status: string;
  reason?: string;
}

export interface MetricPoint {
  name: string;
  dimensions: Record<string, string>;
  value: number;
  unit: 'Count' | 'Milliseconds';
}

/** The outcomes that are counted, by the metric that counts them. */
const METRIC_OF_STATUS: Partial<Record<string, string>> = {
  sent: METRIC_NAMES.touchesSent,
  suppressed: METRIC_NAMES.touchesSuppressed,
  failed: METRIC_NAMES.touchesFailed,
};

/** The points a set of outcomes makes: one count per (metric, campaign, channel[, reason]). */
export function touchMetricPoints(outcomes: readonly TouchOutcome[]): MetricPoint[] {
  const counts = new Map<string, MetricPoint>();
  for (const o of outcomes) {
    const name = METRIC_OF_STATUS[o.status];
    if (!name) continue;
    const dimensions: Record<string, string> = {
      [METRIC_DIMENSIONS.campaign]: o.campaignId,
      [METRIC_DIMENSIONS.channel]: o.channel,
      ...(name === METRIC_NAMES.touchesSuppressed && { [METRIC_DIMENSIONS.reason]: o.reason ?? 'unknown' }),
    };
    // Per campaign for the dashboard; per channel alone for alarms (an alarm needs one fixed series).
    for (const dims of [dimensions, { [METRIC_DIMENSIONS.channel]: o.channel }]) {
      const key = JSON.stringify([name, dims]);
      const point = counts.get(key) ?? { name, dimensions: dims, value: 0, unit: 'Count' };
      point.value += 1;
      counts.set(key, point);
    }
  }
  return [...counts.values()];
}

const inLambda = (): boolean => Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME);

let metrics: Metrics | undefined;

/** Publishes each point as its own EMF document (its own dimension set); a no-op outside Lambda. */
export function publishMetrics(points: readonly MetricPoint[]): void {
  if (!inLambda() || points.length === 0) return;
  // Namespace and service from POWERTOOLS_METRICS_NAMESPACE / POWERTOOLS_SERVICE_NAME (shared/config).
  metrics ??= new Metrics();
  for (const p of points) {
    const single = metrics.singleMetric();
    single.addDimensions(p.dimensions);
    single.addMetric(p.name, p.unit === 'Count' ? MetricUnit.Count : MetricUnit.Milliseconds, p.value);
  }
}

export function runDurationPoint(ms: number): MetricPoint {
  return { name: METRIC_NAMES.runDurationMs, dimensions: {}, value: ms, unit: 'Milliseconds' };
}

/** The reputation guard paused a channel: the point its alarm watches (infra/constructs/observability.ts). */
export function sendingPausedPoint(channel: string): MetricPoint {
  return {
    name: METRIC_NAMES.sendingPaused,
    dimensions: { [METRIC_DIMENSIONS.channel]: channel },
    value: 1,
    unit: 'Count',
  };
}
