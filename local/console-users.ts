// The console's users locally: what the cloud's Cognito user pool holds (an email, a stable `sub`,
// one group: admin, editor or viewer), kept in the data dir (`console-users.json`, 0600), and an
// ES256 key (`keys/console-signing.jwk`, 0600) that signs ID tokens shaped like Cognito's. The local
// edge verifies a token and then checks its user still exists with the same `sub` and role, so
// removing a user (or changing their role) stops their tokens at once. docs/console-auth.md.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { ROLES, type Role } from '../shared/api/principal.js';
import type { ConsoleTokenVerifier } from './edge/edge.js';

/** The `iss` and `aud` of local ID tokens (a Cognito token names its pool and its app client). */
export const LOCAL_ISSUER = 'urn:touchpoint:local-console';
export const LOCAL_AUDIENCE = 'touchpoint-console-local';
/** As long as the cloud's ID tokens live (infra/constructs/console-auth.ts). */
export const LOCAL_TOKEN_HOURS = 12;
const ALG = 'ES256';

const USERS_FILE = 'console-users.json';
const KEY_FILE = join('keys', 'console-signing.jwk');

export const consoleUserSchema = z.object({
  email: z.string(),
  sub: z.string(),
  role: z.enum(ROLES),
  addedAt: z.string(),
});
export type ConsoleUser = z.infer<typeof consoleUserSchema>;
const usersFileSchema = z.object({ users: z.array(consoleUserSchema) });

export const consoleEmail = z.string().trim().toLowerCase().pipe(z.email('must be an email address'));

export class UnknownConsoleUserError extends Error {
  constructor(readonly email: string) {
    super(`no console user ${email} (add one with: touchpoint users add ${email} --role viewer)`);
    this.name = 'UnknownConsoleUserError';
  }
}

export function listConsoleUsers(dataDir: string): ConsoleUser[] {
  let text: string;
  try {
    text = readFileSync(join(dataDir, USERS_FILE), 'utf8');
  } catch {
    return [];
  }
  return usersFileSchema.parse(JSON.parse(text)).users;
}

function writeUsers(dataDir: string, users: readonly ConsoleUser[]): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, USERS_FILE);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ users }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

/** Adds a user, or gives an existing one another role (their earlier tokens stop working). */
export function addConsoleUser(
  dataDir: string,
  email: string,
  role: Role,
  now = new Date(),
): { user: ConsoleUser; change: 'added' | 'role-changed' | 'unchanged' } {
  const normalized = consoleEmail.parse(email);
  const users = listConsoleUsers(dataDir);
  const existing = users.find((u) => u.email === normalized);
  if (existing?.role === role) return { user: existing, change: 'unchanged' };
  const user: ConsoleUser = existing
    ? { ...existing, role }
    : { email: normalized, sub: randomUUID(), role, addedAt: now.toISOString() };
  writeUsers(dataDir, [...users.filter((u) => u.email !== normalized), user]);
  return { user, change: existing ? 'role-changed' : 'added' };
}

/** False when there was no such user. */
export function removeConsoleUser(dataDir: string, email: string): boolean {
  const normalized = consoleEmail.parse(email);
  const users = listConsoleUsers(dataDir);
  if (!users.some((u) => u.email === normalized)) return false;
  writeUsers(
    dataDir,
    users.filter((u) => u.email !== normalized),
  );
  return true;
}

/** A P-256 private key as a JWK. */
const signingJwk = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string(),
  y: z.string(),
  d: z.string(),
  kid: z.string(),
});
type SigningJwk = z.infer<typeof signingJwk>;

/** The data dir's signing key (made on first use; two commands at once keep the first one's). */
async function signingKey(dataDir: string): Promise<SigningJwk> {
  const path = join(dataDir, KEY_FILE);
  const read = (): SigningJwk | undefined => {
    try {
      return signingJwk.parse(JSON.parse(readFileSync(path, 'utf8')));
    } catch {
      return undefined;
    }
  };
  const stored = read();
  if (stored) return stored;
  mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  const jwk = signingJwk.parse({ ...(await exportJWK(privateKey)), kid: randomUUID() });
  try {
    writeFileSync(path, JSON.stringify(jwk), { mode: 0o600, flag: 'wx' });
    return jwk;
  } catch {
    return read() ?? jwk;
  }
}

/** An ID token for the user, shaped like Cognito's: sub, email, cognito:groups, iss, aud, token_use. */
export async function issueConsoleToken(dataDir: string, email: string, now = new Date()): Promise<string> {
  const normalized = consoleEmail.parse(email);
  const user = listConsoleUsers(dataDir).find((u) => u.email === normalized);
  if (!user) throw new UnknownConsoleUserError(normalized);
  const jwk = await signingKey(dataDir);
  const key = await importJWK(jwk, ALG);
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ email: user.email, 'cognito:groups': [user.role], token_use: 'id' })
    .setProtectedHeader({ alg: ALG, typ: 'JWT', kid: jwk.kid })
    .setSubject(user.sub)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + LOCAL_TOKEN_HOURS * 3600)
    .sign(key);
}

const idTokenClaims = z.object({
  sub: z.string(),
  email: z.string(),
  'cognito:groups': z.array(z.string()),
  token_use: z.literal('id'),
});

/**
 * The local stand-in for the Cognito authorizer: the signature (the data dir's key, ES256 only),
 * issuer, audience and expiry, then the user: still there, same `sub`, same role.
 */
export function localConsoleTokens(
  dataDir: string,
  clock: () => Date = () => new Date(),
): ConsoleTokenVerifier {
  return {
    async verify(token) {
      try {
        const jwk = await signingKey(dataDir);
        const { d: _private, ...publicJwk } = jwk;
        const key = await importJWK(publicJwk, ALG);
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALG],
          issuer: LOCAL_ISSUER,
          audience: LOCAL_AUDIENCE,
          currentDate: clock(),
        });
        const claims = idTokenClaims.safeParse(payload);
        if (!claims.success) return undefined;
        const user = listConsoleUsers(dataDir).find((u) => u.sub === claims.data.sub);
        const groups = claims.data['cognito:groups'];
        if (!user || user.email !== claims.data.email || groups.length !== 1 || groups[0] !== user.role)
          return undefined;
        return payload;
      } catch {
        return undefined;
      }
    },
  };
}
