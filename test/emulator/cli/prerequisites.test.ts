import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, type CliResult, runNode } from './cli.js';

const root = mkdtempSync(join(tmpdir(), 'tp-prereq-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> => runNode(args, { env });

/** A PATH with only `node` on it, and a `java` printing `javaVersion` when given one. */
function pathWith(name: string, javaVersion?: string): string {
  const bin = join(root, name, 'bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(process.execPath, join(bin, 'node'));
  if (javaVersion !== undefined) {
    writeFileSync(join(bin, 'java'), `#!/bin/sh\necho 'openjdk version "${javaVersion}" 2024-01-16' >&2\n`);
    chmodSync(join(bin, 'java'), 0o755);
  }
  return bin;
}

const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;

describe('touchpoint on a machine without the prerequisites', () => {
  it.each([
    ['20.18.1', 2],
    ['21.7.3', 2],
    ['22.11.0', 2],
    ['20.19.0', 0],
    ['22.12.0', 0],
  ])('on Node %s exits %i; refused versions get one line naming the ones it needs', async (version, code) => {
    // The bin reads process.versions before importing anything: pretend to be that Node.
    const script = `Object.defineProperty(process.versions, 'node', { value: '${version}' });
      Object.defineProperty(process, 'version', { value: 'v${version}' });
      process.argv = [process.argv[0], ${JSON.stringify(BIN)}, '--help'];
      await import(${JSON.stringify(BIN)});`;
    const result = await run(['--input-type=module', '-e', script], {});
    expect(result.code).toBe(code);
    if (code === 2)
      expect(result.stderr.trim()).toBe(
        `touchpoint needs Node.js 20.19+ on the 20 line, or 22.12 or newer; this is v${version}. ` +
          'Install a current Node.js LTS and run `npm ci` again.',
      );
    else expect(result.stderr).toBe('');
  });

  it.each([
    ['no java on PATH', undefined, 'could not run `java`'],
    ['Java 11', '11.0.22', 'found Java 11'],
  ])('with %s, a data command says Java 17+ is needed, in one line', async (name, javaVersion, detail) => {
    const bin = pathWith(name.replace(/\W+/g, '-'), javaVersion);
    const dataDir = join(root, `data-${name.replace(/\W+/g, '-')}`);
    const result = await run([BIN, 'deliveries', '--data-dir', dataDir], { PATH: bin });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Touchpoint's local store needs Java 17+ (DynamoDB Local)");
    expect(result.stderr).toContain(detail);
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });
});
