// The project bus's EventBridge rules, applied in-process: the AWS::Events::Rule resources of the
// synthesized template on the project bus are read (never redeclared here), each published event
// is matched against their EventPattern and handed, in an EventBridge envelope, to the handler
// module of each target function (its 'touchpoint:entry' metadata, as run-executor.ts does).
//
// Pattern support: nested objects whose leaves are lists of literal values (equality), which is all
// the stack's rules use. Content filters (prefix, anything-but, numeric, exists, ...) are refused
// when the template is read, so a rule is never silently mis-matched. Rules on the account's default
// bus (SES / SMS delivery events) are applied to what is published on `RuleBus.defaultBus`.
//
// Delivery is asynchronous, as in EventBridge: publish() resolves once the event is recorded; each
// target then runs with the target's RetryPolicy (MaximumRetryAttempts, MaximumEventAgeInSeconds)
// and InputPath from the template; an event still failing goes to its DeadLetterConfig, locally
// a line in `bus-dlq.ndjson` in the data dir (0600) that `touchpoint bus dlq` lists.
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { Deps } from '../functions/commons/deps.js';
import type { DomainEvent, EventPublisher } from '../shared/ports/events.js';
import type { CfnTemplate } from './assembly-tables.js';
import type { DeadLetterRecord } from './bus-dlq.js';
import { LOCAL_ENV, logicalIdOfLocalFunctionArn, resolveString, TemplateShapeError } from './cfn-template.js';
import { PROJECT_ROOT } from './runtime.js';

export { type DeadLetterRecord, DLQ_FILE, deadLetterRecord, listDeadLetters } from './bus-dlq.js';

/** A pattern: field → allowed literal values, or a nested pattern for an object field. */
export type EventPattern = { [field: string]: string[] | EventPattern };

/** A target's RetryPolicy; EventBridge's defaults when the template sets none. */
export interface TargetRetryPolicy {
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
}

export const EVENTBRIDGE_DEFAULT_RETRY: TargetRetryPolicy = {
  maximumRetryAttempts: 185,
  maximumEventAgeSeconds: 86_400,
};

/** Lambda's asynchronous invocation defaults (no AWS::Lambda::EventInvokeConfig): 2 retries, 6 h. */
export const LAMBDA_ASYNC_DEFAULT_RETRY: TargetRetryPolicy = {
  maximumRetryAttempts: 2,
  maximumEventAgeSeconds: 21_600,
};

export interface BusRuleTarget {
  functionLogicalId: string;
  entry: string;
  /** The rule target's RetryPolicy: for an invocation EventBridge cannot make (locally: the handler does not load). */
  retry: TargetRetryPolicy;
  /** The rule target's DeadLetterConfig queue ARN (locally: the data dir's dead-letter file). */
  deadLetterArn?: string;
  /** EventBridge invokes Lambda asynchronously: a handler that throws is retried by Lambda ... */
  functionRetry: TargetRetryPolicy;
  /** ... and then sent to the function's DeadLetterConfig. */
  functionDeadLetterArn?: string;
  /** InputPath: which part of the envelope the target receives ('$.detail', ...). */
  inputPath?: string;
}

export interface BusRule {
  logicalId: string;
  /** 'project': the stack's own bus; 'default': the account's default bus (SES, SMS events). */
  bus: 'project' | 'default';
  pattern: EventPattern;
  targets: BusRuleTarget[];
}

/** What a rule target receives: the EventBridge event envelope. */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

const ruleProperties = z.object({
  EventBusName: z.unknown().optional(),
  EventPattern: z.record(z.string(), z.unknown()),
  State: z.string().optional(),
  Targets: z
    .array(
      z.object({
        Arn: z.unknown(),
        RetryPolicy: z
          .object({
            MaximumRetryAttempts: z.number().int().min(0).optional(),
            MaximumEventAgeInSeconds: z.number().int().min(60).optional(),
          })
          .optional(),
        DeadLetterConfig: z.object({ Arn: z.unknown() }).optional(),
        InputPath: z.string().optional(),
        InputTransformer: z.unknown().optional(),
        Input: z.unknown().optional(),
      }),
    )
    .default([]),
});

const INPUT_PATH = /^\$(\.[A-Za-z0-9_-]+)*$/;

/** The part of the envelope an InputPath ('$', '$.detail', '$.detail.mail') selects. */
export function selectInputPath(path: string | undefined, envelope: unknown): unknown {
  if (path === undefined) return envelope;
  let value: unknown = envelope;
  for (const key of path.split('.').slice(1)) {
    value = typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
  }
  return value;
}

function parsePattern(template: CfnTemplate, ruleId: string, raw: Record<string, unknown>): EventPattern {
  const out: EventPattern = {};
  for (const [field, value] of Object.entries(raw)) {
    if (Array.isArray(value)) {
      out[field] = value.map((v) => {
        if (
          typeof v === 'object' &&
          v !== null &&
          !('Ref' in v || 'Fn::GetAtt' in v || 'Fn::Join' in v || 'Fn::Sub' in v)
        )
          throw new TemplateShapeError(
            `rule ${ruleId}: content filter ${JSON.stringify(v)} on ${field} is not supported locally`,
          );
        return resolveString(template, v);
      });
    } else if (typeof value === 'object' && value !== null) {
      out[field] = parsePattern(template, ruleId, Object.fromEntries(Object.entries(value)));
    } else {
      throw new TemplateShapeError(`rule ${ruleId}: pattern field ${field} must be a list or an object`);
    }
  }
  return out;
}

/** The bus a rule is on: one this template declares (the project bus), or the account's default bus. */
function busOf(template: CfnTemplate, ruleId: string, busName: unknown): 'project' | 'default' {
  if (busName === undefined || busName === 'default') return 'default';
  if (
    typeof busName === 'object' &&
    busName !== null &&
    'Ref' in busName &&
    typeof busName.Ref === 'string' &&
    template.Resources[busName.Ref]?.Type === 'AWS::Events::EventBus'
  )
    return 'project';
  throw new TemplateShapeError(`rule ${ruleId}: bus ${JSON.stringify(busName)} has no local counterpart`);
}

const functionDlq = z.object({ DeadLetterConfig: z.object({ TargetArn: z.unknown() }) });
const invokeConfig = z.object({
  FunctionName: z.object({ Ref: z.string() }),
  MaximumRetryAttempts: z.number().int().min(0).optional(),
  MaximumEventAgeInSeconds: z.number().int().min(60).optional(),
});

/** The function's asynchronous-invocation retries (its EventInvokeConfig, else Lambda's) and DLQ. */
function functionAsync(
  template: CfnTemplate,
  functionLogicalId: string,
): Pick<BusRuleTarget, 'functionRetry' | 'functionDeadLetterArn'> {
  let functionRetry = LAMBDA_ASYNC_DEFAULT_RETRY;
  for (const r of Object.values(template.Resources)) {
    const config =
      r.Type === 'AWS::Lambda::EventInvokeConfig' ? invokeConfig.safeParse(r.Properties) : undefined;
    if (!config?.success || config.data.FunctionName.Ref !== functionLogicalId) continue;
    functionRetry = {
      maximumRetryAttempts: config.data.MaximumRetryAttempts ?? functionRetry.maximumRetryAttempts,
      maximumEventAgeSeconds: config.data.MaximumEventAgeInSeconds ?? functionRetry.maximumEventAgeSeconds,
    };
  }
  const dlq = functionDlq.safeParse(template.Resources[functionLogicalId]?.Properties);
  return {
    functionRetry,
    ...(dlq.success && {
      functionDeadLetterArn: resolveString(template, dlq.data.DeadLetterConfig.TargetArn),
    }),
  };
}

export function busRulesFromTemplate(template: CfnTemplate): BusRule[] {
  const rules: BusRule[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Events::Rule') continue;
    const props = ruleProperties.safeParse(resource.Properties);
    // Scheduled rules have no EventPattern: not bus rules.
    if (!props.success) continue;
    if (props.data.State === 'DISABLED') continue;
    const bus = busOf(template, logicalId, props.data.EventBusName);
    const targets = props.data.Targets.map((t): BusRuleTarget => {
      const arn = resolveString(template, t.Arn);
      const functionLogicalId = logicalIdOfLocalFunctionArn(arn);
      const fn = functionLogicalId === undefined ? undefined : template.Resources[functionLogicalId];
      const entry = fn?.Metadata?.['touchpoint:entry'];
      if (
        functionLogicalId === undefined ||
        fn?.Type !== 'AWS::Lambda::Function' ||
        typeof entry !== 'string'
      )
        throw new TemplateShapeError(
          `rule ${logicalId}: target ${arn} is not a function with 'touchpoint:entry' metadata`,
        );
      // What the target receives must be what the cloud hands it: shapes not applied locally are refused.
      if (t.InputTransformer !== undefined || t.Input !== undefined)
        throw new TemplateShapeError(`rule ${logicalId}: Input/InputTransformer is not applied locally`);
      if (t.InputPath !== undefined && !INPUT_PATH.test(t.InputPath))
        throw new TemplateShapeError(`rule ${logicalId}: InputPath ${t.InputPath} is not supported locally`);
      return {
        functionLogicalId,
        entry,
        retry: {
          maximumRetryAttempts:
            t.RetryPolicy?.MaximumRetryAttempts ?? EVENTBRIDGE_DEFAULT_RETRY.maximumRetryAttempts,
          maximumEventAgeSeconds:
            t.RetryPolicy?.MaximumEventAgeInSeconds ?? EVENTBRIDGE_DEFAULT_RETRY.maximumEventAgeSeconds,
        },
        ...(t.DeadLetterConfig && { deadLetterArn: resolveString(template, t.DeadLetterConfig.Arn) }),
        ...functionAsync(template, functionLogicalId),
        ...(t.InputPath !== undefined && { inputPath: t.InputPath }),
      };
    });
    rules.push({
      logicalId,
      bus,
      pattern: parsePattern(template, logicalId, props.data.EventPattern),
      targets,
    });
  }
  return rules;
}

const scalar = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/** EventBridge matching for equality patterns: every field must match; a list field matches if any element does. */
export function matchesPattern(pattern: EventPattern, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(pattern).every(([field, expected]) => {
    const actual: unknown = Reflect.get(value, field);
    if (!Array.isArray(expected)) return matchesPattern(expected, actual);
    const candidates = Array.isArray(actual) ? actual : [actual];
    return candidates.some((c) => {
      const s = scalar(c);
      return s !== undefined && expected.includes(s);
    });
  });
}

type TargetHandler = (event: unknown) => Promise<unknown>;

const handlerModule = z.object({
  createHandler: z.custom<(deps: Deps) => TargetHandler>(
    (v) => typeof v === 'function',
    'must export createHandler(deps)',
  ),
});

export interface DispatchFailure {
  rule: string;
  target: string;
  eventId: string;
  error: string;
  /** Attempts made (1 + retries) before the event was given up. */
  attempts: number;
}

/** EventBridge retries with exponential backoff; locally 1 s doubling, at most a minute. */
export const defaultBackoffMs = (retry: number): number => Math.min(1000 * 2 ** retry, 60_000);

export interface RuleBusOptions {
  inner: EventPublisher;
  rules: readonly BusRule[];
  deps: Deps;
  onFailure?: (failure: DispatchFailure) => void;
  /** Where dead-lettered events are appended (0600); none: kept in `failures` only. */
  deadLetterFile?: string;
  /** Delay before retry n (0-based); tests pass () => 0. */
  backoffMs?: (retry: number) => number;
  /** For MaximumEventAgeInSeconds; the wall clock by default. */
  nowMs?: () => number;
}

// A retry waiting does not keep the process alive: like the in-memory queue it is, it ends with it.
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * The local buses: publish() records every event (through `inner`, e.g. LocalBus) and returns;
 * the targets of matching project-bus rules then run in the background, as EventBridge runs them
 * after PutEvents, with the target's retry policy and dead-letter queue. `defaultBus` is the
 * account's default bus (SES and SMS delivery events), with its rules. `settled()` waits for
 * every delivery under way, retries included.
 */
export class RuleBus implements EventPublisher {
  /** Deliveries given up after their retries (also in the dead-letter file). */
  readonly failures: DispatchFailure[] = [];
  /** The account's default bus: events published here reach the default-bus rules' targets. */
  readonly defaultBus: EventPublisher = { publish: async (events) => this.dispatch('default', events) };
  private readonly handlers = new Map<string, Promise<TargetHandler>>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly opts: RuleBusOptions) {}

  private handler(target: BusRuleTarget): Promise<TargetHandler> {
    let h = this.handlers.get(target.functionLogicalId);
    if (!h) {
      h = import(pathToFileURL(join(PROJECT_ROOT, target.entry)).href).then((mod: unknown) =>
        handlerModule.parse(mod).createHandler({ ...this.opts.deps, events: this }),
      );
      this.handlers.set(target.functionLogicalId, h);
    }
    return h;
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    await this.opts.inner.publish(events);
    this.dispatch('project', events);
  }

  /** Resolves when no delivery is under way (deliveries they start included). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private dispatch(bus: BusRule['bus'], events: readonly DomainEvent[]): void {
    for (const e of events) {
      const envelope: EventEnvelope = {
        version: '0',
        id: randomUUID(),
        'detail-type': e.detailType,
        source: e.source,
        account: LOCAL_ENV.account,
        time: this.opts.deps.clock.now().toISOString(),
        region: LOCAL_ENV.region,
        resources: [],
        detail: e.detail,
      };
      const receivedAt = (this.opts.nowMs ?? Date.now)();
      for (const rule of this.opts.rules) {
        if (rule.bus !== bus || !matchesPattern(rule.pattern, envelope)) continue;
        for (const target of rule.targets) {
          const delivery = this.deliver(rule, target, envelope, receivedAt);
          this.pending.add(delivery);
          void delivery.finally(() => this.pending.delete(delivery));
        }
      }
    }
  }

  private async deliver(
    rule: BusRule,
    target: BusRuleTarget,
    envelope: EventEnvelope,
    receivedAt: number,
  ): Promise<void> {
    const now = this.opts.nowMs ?? Date.now;
    const backoff = this.opts.backoffMs ?? defaultBackoffMs;
    // Through JSON, as the event travels to a Lambda.
    const input = JSON.parse(JSON.stringify(selectInputPath(target.inputPath, envelope)) ?? 'null');
    const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
    const giveUp = (policy: TargetRetryPolicy, attempts: number) =>
      attempts - 1 >= policy.maximumRetryAttempts ||
      now() - receivedAt >= policy.maximumEventAgeSeconds * 1000;
    // EventBridge's side: the invocation (locally, loading the handler), under the rule target's policy.
    let handler: TargetHandler | undefined;
    for (let attempts = 1; handler === undefined; attempts += 1) {
      try {
        handler = await this.handler(target);
      } catch (err) {
        this.handlers.delete(target.functionLogicalId);
        if (giveUp(target.retry, attempts)) {
          this.deadLetter(rule, target, envelope, { attempts, error: message(err) }, target.deadLetterArn);
          return;
        }
        await wait(backoff(attempts - 1));
      }
    }
    // Lambda's side: the asynchronous invocation, retried under the function's policy, then its DLQ.
    for (let attempts = 1; ; attempts += 1) {
      try {
        await handler(input);
        return;
      } catch (err) {
        if (giveUp(target.functionRetry, attempts)) {
          const dlq = target.functionDeadLetterArn;
          this.deadLetter(rule, target, envelope, { attempts, error: message(err) }, dlq);
          return;
        }
        await wait(backoff(attempts - 1));
      }
    }
  }

  private deadLetter(
    rule: BusRule,
    target: BusRuleTarget,
    envelope: EventEnvelope,
    outcome: { attempts: number; error: string },
    deadLetterArn: string | undefined,
  ): void {
    const failure: DispatchFailure = {
      rule: rule.logicalId,
      target: target.functionLogicalId,
      eventId: envelope.id,
      ...outcome,
    };
    this.failures.push(failure);
    if (this.opts.deadLetterFile) {
      const record: DeadLetterRecord = {
        deadLetteredAt: new Date(now(this.opts)).toISOString(),
        rule: rule.logicalId,
        target: target.functionLogicalId,
        ...(deadLetterArn && { deadLetterArn }),
        ...outcome,
        event: { ...envelope },
        detail: envelope.detail,
      };
      appendFileSync(this.opts.deadLetterFile, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    }
    this.opts.onFailure?.(failure);
  }
}

const now = (opts: RuleBusOptions): number => (opts.nowMs ?? Date.now)();
