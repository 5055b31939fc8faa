// Runs the real CLI as a subprocess, the way the contract's harness does.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';

export const BIN = resolve(import.meta.dirname, '../../../bin/touchpoint.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], opts: { dataDir: string; cwd?: string }): Promise<CliResult> {
  return runNode([BIN, ...args, '--data-dir', opts.dataDir], { cwd: opts.cwd });
}

/** Runs `node ARGS` from the project root (or `cwd`) with `env` added, collecting its output. */
export function runNode(
  args: string[],
  opts: { cwd?: string | undefined; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, {
      cwd: opts.cwd ?? resolve(import.meta.dirname, '../../..'),
      env: { ...process.env, TOUCHPOINT_DATA_DIR: undefined, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

export function json(result: CliResult): unknown {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

/** The documents a CLI test seeds its data dir with, as a user would write them to files. */
export interface SeedDocuments {
  settings: unknown;
  customers: readonly unknown[];
  contracts: readonly unknown[];
  campaign: unknown;
}

/**
 * A fresh work folder with a data dir, the CLI bound to it, `seed` (settings, customers, contracts
 * and a campaign applied through the CLI, each required to succeed) and `dispose` (stops the data
 * dir's stack, removes the folder).
 */
export function cliWorkspace(prefix: string) {
  let work = '';
  const dataDir = () => join(work, 'data');
  const run = (...args: string[]) => cli(args, { dataDir: dataDir() });
  return {
    dataDir,
    run,
    async seed(docs: SeedDocuments): Promise<void> {
      work = mkdtempSync(join(tmpdir(), prefix));
      const file = (name: string, text: string) => {
        writeFileSync(join(work, name), text);
        return join(work, name);
      };
      const ndjson = (rows: readonly unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n');
      for (const args of [
        ['settings', 'apply', file('settings.json', JSON.stringify(docs.settings))],
        ['import', 'customers', file('customers.ndjson', ndjson(docs.customers))],
        ['import', 'contracts', file('contracts.ndjson', ndjson(docs.contracts))],
        ['campaign', 'apply', file('campaign.json', JSON.stringify(docs.campaign))],
      ]) {
        const r = await run(...args);
        expect(r.code, `${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0);
      }
    },
    async dispose(): Promise<void> {
      await run('stop');
      rmSync(work, { recursive: true, force: true });
    },
  };
}
