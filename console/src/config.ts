// What the deployment tells the app at /console/config.json: where the API is and how to sign in.
// Locally the development token (or a `touchpoint users token`); in the cloud Cognito's hosted UI.
import * as z from 'zod';

const consoleConfig = z.object({
  apiBase: z.string().min(1),
  auth: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('local') }),
    z.object({
      kind: z.literal('cognito'),
      domain: z.url(),
      clientId: z.string().min(1),
      redirectUri: z.url(),
      logoutUri: z.url(),
    }),
  ]),
});
export type ConsoleConfig = z.infer<typeof consoleConfig>;

export class ConfigError extends Error {}

export async function loadConfig(): Promise<ConsoleConfig> {
  const res = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' });
  if (!res.ok) throw new ConfigError(`config.json: HTTP ${res.status}`);
  const parsed = consoleConfig.safeParse(await res.json());
  if (!parsed.success) throw new ConfigError(`config.json: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
