// Signing in. Locally: paste the development token `touchpoint serve` prints, or a user's token from
// `touchpoint users token <email>`. In the cloud: Cognito's hosted UI with the authorization-code
// grant and PKCE (no client secret in the browser); the ID token is what the API's Cognito
// authorizer takes, and the refresh token renews it. Tokens stay in sessionStorage: gone with the tab.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import * as z from 'zod';
import { type ApiClient, apiClient } from './api';
import type { ConsoleConfig } from './config';

export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const atLeast = (role: Role | undefined, needed: Role): boolean =>
  role !== undefined && ROLES.indexOf(role) >= ROLES.indexOf(needed);

export const meSchema = z.object({
  subject: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  via: z.string(),
});
export type Me = z.infer<typeof meSchema>;

interface Session {
  config: ConsoleConfig;
  api: ApiClient;
  me: Me | undefined;
  /** Local sign-in: a token. Cloud: starts the hosted UI redirect. */
  signIn(token?: string): Promise<void>;
  signOut(): void;
  error: string | undefined;
}

const SessionContext = createContext<Session | undefined>(undefined);
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
export const useApi = (): ApiClient => useSession().api;
export const useRole = (): Role | undefined => useSession().me?.role;

const TOKEN = 'touchpoint.token';
const REFRESH = 'touchpoint.refresh';
const EXPIRES = 'touchpoint.expires';
const PKCE = 'touchpoint.pkce';

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
const randomString = (): string => base64url(crypto.getRandomValues(new Uint8Array(32)));
const challengeOf = async (verifier: string): Promise<string> =>
  base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));

const tokenResponse = z.object({
  id_token: z.string(),
  refresh_token: z.string().optional(),
  expires_in: z.number(),
});

async function cognitoToken(
  auth: Extract<ConsoleConfig['auth'], { kind: 'cognito' }>,
  params: Record<string, string>,
): Promise<z.infer<typeof tokenResponse>> {
  const res = await fetch(`${auth.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: auth.clientId, ...params }),
  });
  if (!res.ok) throw new Error(`sign-in failed: HTTP ${res.status}`);
  return tokenResponse.parse(await res.json());
}

const pkceSchema = z.object({ verifier: z.string(), state: z.string() });

const keep = (t: z.infer<typeof tokenResponse>) => {
  sessionStorage.setItem(TOKEN, t.id_token);
  sessionStorage.setItem(EXPIRES, String(Date.now() + t.expires_in * 1000));
  if (t.refresh_token) sessionStorage.setItem(REFRESH, t.refresh_token);
};

export function SessionProvider({ config, children }: { config: ConsoleConfig; children: ReactNode }) {
  const [me, setMe] = useState<Me | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [ready, setReady] = useState(false);

  const signOut = useCallback(() => {
    for (const k of [TOKEN, REFRESH, EXPIRES]) sessionStorage.removeItem(k);
    setMe(undefined);
    if (config.auth.kind === 'cognito') {
      const q = new URLSearchParams({ client_id: config.auth.clientId, logout_uri: config.auth.logoutUri });
      window.location.assign(`${config.auth.domain}/logout?${q}`);
    }
  }, [config]);

  const api = useMemo(
    () =>
      apiClient(
        config.apiBase,
        () => sessionStorage.getItem(TOKEN) ?? undefined,
        () => setMe(undefined),
      ),
    [config.apiBase],
  );

  const loadMe = useCallback(async () => {
    try {
      setMe(await api.get('/me', meSchema));
      setError(undefined);
    } catch (e) {
      sessionStorage.removeItem(TOKEN);
      setMe(undefined);
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [api]);

  // On load: finish a hosted-UI redirect (?code=…), renew an expired ID token, or resume a session.
  useEffect(() => {
    const start = async () => {
      const auth = config.auth;
      if (auth.kind === 'cognito') {
        const url = new URL(window.location.href);
        const code = url.searchParams.get('code');
        const state = url.searchParams.get('state');
        const pkce = sessionStorage.getItem(PKCE);
        if (code && pkce) {
          const { verifier, state: expected } = pkceSchema.parse(JSON.parse(pkce));
          sessionStorage.removeItem(PKCE);
          window.history.replaceState(null, '', `${url.pathname}${url.hash}`);
          if (state !== expected) throw new Error('sign-in: state does not match');
          keep(
            await cognitoToken(auth, {
              grant_type: 'authorization_code',
              code,
              redirect_uri: auth.redirectUri,
              code_verifier: verifier,
            }),
          );
        } else {
          const refresh = sessionStorage.getItem(REFRESH);
          if (refresh && Number(sessionStorage.getItem(EXPIRES) ?? 0) < Date.now() + 60_000)
            keep(await cognitoToken(auth, { grant_type: 'refresh_token', refresh_token: refresh }));
        }
      }
      if (sessionStorage.getItem(TOKEN)) await loadMe();
    };
    start()
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setReady(true));
  }, [config, loadMe]);

  const signIn = useCallback(
    async (token?: string) => {
      const auth = config.auth;
      if (auth.kind === 'local') {
        if (!token) return;
        sessionStorage.setItem(TOKEN, token.trim());
        await loadMe();
        return;
      }
      const verifier = randomString();
      const state = randomString();
      sessionStorage.setItem(PKCE, JSON.stringify({ verifier, state }));
      const q = new URLSearchParams({
        response_type: 'code',
        client_id: auth.clientId,
        redirect_uri: auth.redirectUri,
        scope: 'openid email profile',
        code_challenge_method: 'S256',
        code_challenge: await challengeOf(verifier),
        state,
      });
      window.location.assign(`${auth.domain}/oauth2/authorize?${q}`);
    },
    [config, loadMe],
  );

  const value = useMemo(
    () => ({ config, api, me, signIn, signOut, error }),
    [config, api, me, signIn, signOut, error],
  );
  if (!ready) return null;
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
