// Helpers for the warm-stack tests: poll with a deadline, and check that a stack's processes are gone.
import { isProcessAlive, type RuntimeInfo } from '../../../local/data-dir.js';
import { isGroupAlive } from '../../../local/process-group.js';

export async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The stack process and every process group it advertised (DynamoDB Local's JVM, the SES server). */
export function stackProcesses(owner: RuntimeInfo): { pid: number; alive: boolean }[] {
  return [
    { pid: owner.pid, alive: isProcessAlive(owner.pid) || isGroupAlive(owner.pid) },
    ...(owner.groups ?? []).map((pid) => ({ pid, alive: isGroupAlive(pid) })),
  ];
}

export const allGone = (owner: RuntimeInfo): boolean => stackProcesses(owner).every((p) => !p.alive);

/** Runs `fn` with extra environment variables, restoring the previous values after. */
export async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(previous)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
