import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT, STACK_ID } from '../infra/names.js';
import { type CfnTemplateJson, parseTemplate } from './cfn-template.js';

export type { CfnTemplateJson } from './cfn-template.js';

export interface SynthOptions {
  /** Cloud assembly directory. Default: `<project root>/cdk.out`. */
  outdir?: string;
  /** Extra context (settings such as `scheduleTimeZone`), on top of cdk.json's. */
  context?: Record<string, unknown>;
}

export interface SynthResult {
  template: CfnTemplateJson;
  templatePath: string;
}

const CdkJson = z.looseObject({ context: z.record(z.string(), z.unknown()).optional() });

/** cdk.json's context (feature flags, settings): an in-process App does not read cdk.json by itself. */
function cdkJsonContext(projectRoot: string): Record<string, unknown> {
  return CdkJson.parse(JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8'))).context ?? {};
}

/**
 * Synthesizes TouchpointStack in this process with asset bundling skipped (fast; the template is the
 * same apart from asset hashes) and cdk-nag checks applied, writing a cloud assembly like `cdk synth`.
 */
export async function synthTemplate(opts: SynthOptions = {}): Promise<SynthResult> {
  // Loaded only when a synth is needed: aws-cdk-lib costs ~3 s to import, and most CLI commands
  // find a fresh template in cdk.out.
  const [{ App }, { createTouchpointApp }] = await Promise.all([
    import('aws-cdk-lib'),
    import('../infra/touchpoint-stack.js'),
  ]);
  const outdir = opts.outdir ?? join(PROJECT_ROOT, 'cdk.out');
  const app = new App({
    outdir,
    context: { ...cdkJsonContext(PROJECT_ROOT), ...opts.context, 'aws:cdk:bundling-stacks': [] },
    // CDK's built-in template linter (WASM, warnings only) takes longer than the rest of the synth;
    // `npx cdk synth` still runs it.
    builtinCloudFormationValidation: false,
  });
  createTouchpointApp(app);
  const assembly = app.synth();
  const templatePath = join(assembly.directory, assembly.getStackArtifact(STACK_ID).templateFile);
  return { template: readTemplate(templatePath), templatePath };
}

function readTemplate(path: string): CfnTemplateJson {
  return parseTemplate(JSON.parse(readFileSync(path, 'utf8')));
}

function newestMtime(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newestMtime(join(path, name))), stat.mtimeMs);
}

/**
 * The template the local runtime runs: `cdk.out/TouchpointStack.template.json` when it is newer than
 * every infrastructure source (infra/, the table design, cdk.json), else a fresh in-process synth.
 */
export async function loadTemplate(
  opts: { projectRoot?: string } = {},
): Promise<SynthResult & { synthesized: boolean }> {
  const root = opts.projectRoot ?? PROJECT_ROOT;
  const outdir = join(root, 'cdk.out');
  const templatePath = join(outdir, `${STACK_ID}.template.json`);
  const templateTime = statSync(templatePath, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sourcesTime = Math.max(
    newestMtime(join(root, 'infra')),
    newestMtime(join(root, 'shared', 'store', 'keys.ts')),
    newestMtime(join(root, 'cdk.json')),
  );
  if (templateTime > sourcesTime)
    return { template: readTemplate(templatePath), templatePath, synthesized: false };
  return { ...(await synthTemplate({ outdir })), synthesized: true };
}
