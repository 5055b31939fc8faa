// The local stand-ins for the secrets the cloud stack generates (unsubscribe signing key, erasure
// pseudonym key): a random key made once per data dir and kept in it (mode 0600), so links and
// pseudonyms stay valid across commands and no key is shared between data dirs or checked in.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type LocalKeyName = 'unsubscribe' | 'pseudonym';

export function dataDirKey(dataDir: string, name: LocalKeyName): string {
  const dir = join(dataDir, 'keys');
  const path = join(dir, `${name}.key`);
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const key = randomBytes(32).toString('base64url');
    try {
      // 'wx': two commands creating it at once keep the first one's key.
      writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
      return key;
    } catch {
      return readFileSync(path, 'utf8').trim();
    }
  }
}
