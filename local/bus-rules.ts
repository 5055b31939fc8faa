// The project bus's EventBridge rules, applied in-process: the AWS::Events::Rule resources of the
// synthesized template on the project bus are read (never redeclared here), each published event
// is matched against their EventPattern and handed, in an EventBridge envelope, to the handler
// module of each target function (its 'touchpoint:entry' metadata, as run-executor.ts does).
//
// Pattern support: nested objects whose leaves are lists of literal values (equality), which is all
// the stack's rules use. Content filters (prefix, anything-but, numeric, exists, ...) are refused
// when the template is read, so a rule is never silently mis-matched. Rules on the account's default
// bus (SES / SMS delivery events) are not applied: nothing local publishes those events.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { Deps } from '../functions/commons/deps.js';
import type { DomainEvent, EventPublisher } from '../shared/ports/events.js';
import type { CfnTemplate } from './assembly-tables.js';
import { LOCAL_ENV, logicalIdOfLocalFunctionArn, resolveString, TemplateShapeError } from './cfn-template.js';
import { PROJECT_ROOT } from './runtime.js';

/** A pattern: field → allowed literal values, or a nested pattern for an object field. */
export type EventPattern = { [field: string]: string[] | EventPattern };

export interface BusRuleTarget {
  functionLogicalId: string;
  entry: string;
}

export interface BusRule {
  logicalId: string;
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
  Targets: z.array(z.object({ Arn: z.unknown() })).default([]),
});

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

/** Is the rule on a bus this template declares (the project bus), rather than the default bus? */
function onProjectBus(template: CfnTemplate, busName: unknown): boolean {
  if (
    typeof busName !== 'object' ||
    busName === null ||
    !('Ref' in busName) ||
    typeof busName.Ref !== 'string'
  )
    return false;
  return template.Resources[busName.Ref]?.Type === 'AWS::Events::EventBus';
}

export function busRulesFromTemplate(template: CfnTemplate): BusRule[] {
  const rules: BusRule[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Events::Rule') continue;
    const props = ruleProperties.safeParse(resource.Properties);
    // Scheduled rules have no EventPattern: not bus rules.
    if (!props.success) continue;
    if (props.data.State === 'DISABLED' || !onProjectBus(template, props.data.EventBusName)) continue;
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
      return { functionLogicalId, entry };
    });
    rules.push({ logicalId, pattern: parsePattern(template, logicalId, props.data.EventPattern), targets });
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
}

/**
 * The local project bus: records every event (through `inner`, e.g. LocalBus) and delivers it to
 * the targets of matching rules before publish() resolves, so a caller sees the effect at once.
 * A target that throws does not fail the publish (in the cloud PutEvents succeeds and the target's
 * retries and DLQ take over); its failure is kept in `failures` and reported through `onFailure`.
 */
export class RuleBus implements EventPublisher {
  readonly failures: DispatchFailure[] = [];
  private readonly handlers = new Map<string, Promise<TargetHandler>>();

  constructor(
    private readonly opts: {
      inner: EventPublisher;
      rules: readonly BusRule[];
      deps: Deps;
      onFailure?: (failure: DispatchFailure) => void;
    },
  ) {}

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
      for (const rule of this.opts.rules) {
        if (!matchesPattern(rule.pattern, envelope)) continue;
        for (const target of rule.targets) {
          try {
            // Through JSON, as the event travels to a Lambda.
            await (await this.handler(target))(JSON.parse(JSON.stringify(envelope)));
          } catch (err) {
            const failure = {
              rule: rule.logicalId,
              target: target.functionLogicalId,
              eventId: envelope.id,
              error: err instanceof Error ? err.message : String(err),
            };
            this.failures.push(failure);
            this.opts.onFailure?.(failure);
          }
        }
      }
    }
  }
}
