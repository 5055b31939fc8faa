// Stops what the CLI keeps running for a data dir: its background stack, or a `serve` holding it,
// and any process group either left behind (a JVM whose owner was killed hard), as the data dir's
// lock names them. By PID and process group only, each checked to be ours first, never by name.
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { advertisedOwner, isOwnerAlive, reapDataDir } from '../data-dir.js';
import { isGroupAlive, stopGroup, stopProcess } from '../process-group.js';
import { commandLineHolds } from '../process-identity.js';
import { isEntryAlive, stackEntry, unregisterStack } from './registry.js';

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
  dataDirArg: string,
  options: { backgroundOnly?: boolean } = {},
): Promise<StopResult> {
  const dataDir = resolve(dataDirArg);
  const owner = advertisedOwner(dataDir);
  const entry = stackEntry(dataDir);
  const result: StopResult = { stopped: [], orphans: [] };

  // The registry knows a stack that is still starting (no runtime.json yet).
  if (entry && isEntryAlive(entry) && entry.pid !== owner?.pid) {
    // Detached at spawn: its pid is its group; its JVM and SES are groups of their own.
    await stopGroup(entry.pid, { graceMs: STACK_GRACE_MS });
    result.stopped.push({ pid: entry.pid, kind: 'stack' });
  }
  if (owner && isOwnerAlive(owner)) {
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
  // What a holder killed hard left running, as its lock names them (checked to be still ours).
  for (const guard of await reapDataDir(dataDir)) result.orphans.push(guard.pgid);
  // An advertisement without a lock entry (an older CLI's): only a group still on this data dir.
  for (const group of owner?.groups ?? []) {
    if (result.orphans.includes(group) || !isGroupAlive(group) || !commandLineHolds(group, dataDir)) continue;
    await stopGroup(group);
    result.orphans.push(group);
  }
  // What a dead owner could not remove itself.
  if (owner && !isOwnerAlive(owner) && advertisedOwner(dataDir)?.pid === owner.pid)
    rmSync(join(dataDir, 'runtime.json'), { force: true });
  if (entry) unregisterStack(dataDir, entry.pid);
  return result;
}
