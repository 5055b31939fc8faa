// A bus rule target for unit tests of local/bus-rules.ts: a handler module (createHandler(deps)) as
// RuleBus loads one through a function's 'touchpoint:entry'. What it receives and whether it fails
// are kept on globalThis, so the test and the dynamically imported module share them.
import type { Deps } from '../../../functions/commons/deps.js';

export interface BusTargetProbe {
  received: unknown[];
  /** Calls to fail before succeeding (Infinity: always fail). */
  failFirst: number;
  /** Resolved when a call is allowed to finish (to observe that publish did not wait). */
  gate?: Promise<void>;
}

declare global {
  var __touchpointBusTargetProbe: BusTargetProbe | undefined;
}

export function busTargetProbe(): BusTargetProbe {
  globalThis.__touchpointBusTargetProbe ??= { received: [], failFirst: 0 };
  return globalThis.__touchpointBusTargetProbe;
}

export function createHandler(_deps: Deps) {
  return async (event: unknown): Promise<void> => {
    const probe = busTargetProbe();
    probe.received.push(event);
    if (probe.gate) await probe.gate;
    if (probe.received.length <= probe.failFirst)
      throw new Error(`target failed (call ${probe.received.length})`);
  };
}
