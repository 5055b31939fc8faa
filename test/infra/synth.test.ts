import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTemplate, synthTemplate } from '../../local/synth.js';
import { SYNTH_TIMEOUT_MS } from './synth-helper.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'touchpoint-synth-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('synthTemplate', () => {
  it(
    'writes the cloud assembly with TouchpointStack.template.json and returns the parsed template',
    async () => {
      const outdir = tempDir();
      const { template, templatePath } = await synthTemplate({ outdir, context: { sendConcurrency: 9 } });
      expect(templatePath).toBe(join(outdir, 'TouchpointStack.template.json'));
      expect(JSON.parse(readFileSync(templatePath, 'utf8'))).toEqual(template);
      expect(JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')).artifacts).toHaveProperty(
        'TouchpointStack',
      );
      expect(JSON.stringify(template)).toContain('"MaxConcurrency\\":9');
    },
    SYNTH_TIMEOUT_MS,
  );
});

describe('loadTemplate', () => {
  /** A project root with the files loadTemplate watches, and a template of a known mtime. */
  function fakeRoot(templateNewer: boolean) {
    const root = tempDir();
    mkdirSync(join(root, 'infra', 'constructs'), { recursive: true });
    mkdirSync(join(root, 'shared', 'store'), { recursive: true });
    mkdirSync(join(root, 'cdk.out'));
    const sources = [join(root, 'infra', 'constructs', 'x.ts'), join(root, 'shared', 'store', 'keys.ts')];
    for (const f of sources) writeFileSync(f, '// source');
    writeFileSync(join(root, 'cdk.json'), '{}');
    const templatePath = join(root, 'cdk.out', 'TouchpointStack.template.json');
    writeFileSync(templatePath, JSON.stringify({ Resources: { Marker: { Type: 'Test::Marker' } } }));
    const old = new Date('2026-01-01T00:00:00Z');
    const recent = new Date('2026-01-02T00:00:00Z');
    for (const f of [
      ...sources,
      join(root, 'cdk.json'),
      join(root, 'infra'),
      join(root, 'infra', 'constructs'),
    ]) {
      utimesSync(f, old, templateNewer ? old : recent);
      if (!templateNewer) utimesSync(f, recent, recent);
    }
    utimesSync(templatePath, templateNewer ? recent : old, templateNewer ? recent : old);
    return { root, templatePath };
  }

  it('reuses cdk.out when the template is newer than every infrastructure source', async () => {
    const { root, templatePath } = fakeRoot(true);
    const loaded = await loadTemplate({ projectRoot: root });
    expect(loaded).toMatchObject({ synthesized: false, templatePath });
    expect(loaded.template.Resources).toHaveProperty('Marker');
  });

  it(
    're-synthesizes into cdk.out when a source is newer',
    async () => {
      const { root, templatePath } = fakeRoot(false);
      const loaded = await loadTemplate({ projectRoot: root });
      expect(loaded).toMatchObject({ synthesized: true, templatePath });
      expect(loaded.template.Resources).not.toHaveProperty('Marker');
      expect(Object.values(loaded.template.Resources).map((r) => r.Type)).toContain(
        'AWS::StepFunctions::StateMachine',
      );
    },
    SYNTH_TIMEOUT_MS,
  );
});
