// Runs the real CLI as a subprocess, the way the contract's harness does.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

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
