// The warm stack's settings, parsed once from the environment so a typo fails loudly, not silently.
import { z } from 'zod';

const schema = z.object({
  /** Idle minutes before a background stack stops itself, in seconds (tests use a few). */
  TOUCHPOINT_IDLE_SECONDS: z.coerce.number().int().min(1).default(300),
  /** Background stacks kept at once across data dirs; starting one more stops the least recently used. */
  TOUCHPOINT_MAX_STACKS: z.coerce.number().int().min(1).default(2),
  /** How long a command waits for a background stack to come up (a cold JVM under load takes ~10 s). */
  TOUCHPOINT_STACK_START_SECONDS: z.coerce.number().int().min(1).default(120),
});

export type StackConfig = {
  idleMs: number;
  maxStacks: number;
  startTimeoutMs: number;
};

export class StackConfigError extends Error {
  override readonly name = 'StackConfigError';
}

export function stackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new StackConfigError(`bad environment: ${z.prettifyError(parsed.error)}`);
  return {
    idleMs: parsed.data.TOUCHPOINT_IDLE_SECONDS * 1000,
    maxStacks: parsed.data.TOUCHPOINT_MAX_STACKS,
    startTimeoutMs: parsed.data.TOUCHPOINT_STACK_START_SECONDS * 1000,
  };
}
