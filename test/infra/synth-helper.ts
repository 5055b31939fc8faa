import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PROJECT_ROOT } from '../../infra/constructs/house-function.js';
import { createTouchpointApp, type TouchpointStack } from '../../infra/touchpoint-stack.js';

/** Settings that differ from every default, so tests can see props flow into the template. */
export const TEST_CONTEXT = {
  senderEmail: 'hello@mail.touchpoint-shop.de',
  smsOriginationIdentity: 'arn:aws:sms-voice:eu-central-1:123456789012:phone-number/phone-0123456789abcdef',
  scheduleExpression: 'cron(30 8 ? * MON-FRI *)',
  scheduleTimeZone: 'Europe/Berlin',
  sendConcurrency: '7',
  smsMaxPerSecond: '20',
  lookbackDays: '3',
  envName: 'test',
};

function cdkJsonContext(): Record<string, unknown> {
  const json: unknown = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8'));
  const context = typeof json === 'object' && json !== null ? Reflect.get(json, 'context') : undefined;
  return typeof context === 'object' && context !== null ? { ...context } : {};
}

/** For beforeAll hooks that synthesize (the project's hook timeout is vitest's 10 s default). */
export const SYNTH_TIMEOUT_MS = 120_000;

/** The app as `cdk synth` builds it (cdk.json context, cdk-nag), with asset bundling skipped. */
export function buildApp(
  context: Record<string, unknown> = TEST_CONTEXT,
  outdir?: string,
): { app: App; stack: TouchpointStack } {
  const app = new App({
    ...(outdir ? { outdir } : {}),
    context: { ...cdkJsonContext(), ...context, 'aws:cdk:bundling-stacks': [] },
    // CDK's own template linter (a WASM engine, only warnings) costs more than the rest of the synth.
    builtinCloudFormationValidation: false,
  });
  return { app, stack: createTouchpointApp(app) };
}

export function synthTemplate(context: Record<string, unknown> = TEST_CONTEXT): {
  stack: TouchpointStack;
  template: Template;
} {
  const { stack } = buildApp(context);
  return { stack, template: Template.fromStack(stack) };
}

export function resourcesOfType(template: Template, type: string): [string, Record<string, unknown>][] {
  return Object.entries(template.findResources(type)).map(([id, r]) => {
    const props: unknown = Reflect.get(r, 'Properties');
    return [id, typeof props === 'object' && props !== null ? { ...props } : {}];
  });
}
