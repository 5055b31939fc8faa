// Stops what the CLI keeps running for a data dir: its background stack, or a `serve` holding it,
// and any process group either left behind (a JVM whose owner was killed hard). By PID and process
// group only, never by name.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { advertisedOwner, isProcessAlive } from '../data-dir.js';
import { isGroupAlive, stopGroup, stopProcess } from '../process-group.js';
import { stackEntry, unregisterStack } from './registry.js';

export interface StopResult {
  /** The owner processes that were running and are gone now. */
  stopped: { pid: number; kind: 'stack' | 'serve' }[];
  /** Process groups (JVM, SES) that outlived their owner and were stopped here. */
  orphans: number[];
}

// A background stack stops DynamoDB Local gracefully (its files are flushed on SIGTERM), which can
// take a few seconds on a busy machine: give it that before SIGKILL.
const STACK_GRACE_MS = 20_000;

export async function stopDataDirStack(
  dataDir: string,
  options: { backgroundOnly?: boolean } = {},
): Promise<StopResult> {
  const owner = advertisedOwner(dataDir);
  const entry = stackEntry(dataDir);
  const result: StopResult = { stopped: [], orphans: [] };

  // The registry knows a stack that is still starting (no runtime.json yet).
  if (entry && isProcessAlive(entry.pid) && entry.pid !== owner?.pid) {
    // Detached at spawn: its pid is its group; its JVM and SES are groups of their own.
    await stopGroup(entry.pid, { graceMs: STACK_GRACE_MS });
    result.stopped.push({ pid: entry.pid, kind: 'stack' });
  }
  if (owner && isProcessAlive(owner.pid)) {
    if (owner.kind === 'stack') {
      await stopGroup(owner.pid, { graceMs: STACK_GRACE_MS });
      result.stopped.push({ pid: owner.pid, kind: 'stack' });
    } else if (!options.backgroundOnly) {
      // A foreground `serve` may share its group with the user's shell: signal it alone.
      await stopProcess(owner.pid, { graceMs: STACK_GRACE_MS });
      result.stopped.push({ pid: owner.pid, kind: 'serve' });
    } else {
      return result;
    }
  }
  for (const group of owner?.groups ?? []) {
    if (!isGroupAlive(group)) continue;
    await stopGroup(group);
    result.orphans.push(group);
  }
  // What a dead owner could not remove itself.
  if (owner && !isProcessAlive(owner.pid) && advertisedOwner(dataDir)?.pid === owner.pid)
    rmSync(join(dataDir, 'runtime.json'), { force: true });
  if (entry) unregisterStack(dataDir, entry.pid);
  return result;
}
