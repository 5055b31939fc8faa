// The local stand-ins for the secrets the cloud stack generates (unsubscribe signing key, erasure
// pseudonym key, the development ops token): a random value made once per data dir and kept in it
// (mode 0600), so links, pseudonyms and tokens stay valid across commands and nothing is shared
// between data dirs or checked in.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type LocalKeyName = 'unsubscribe' | 'pseudonym';

export function dataDirKey(dataDir: string, name: LocalKeyName): string {
  return keptSecret(join(dataDir, 'keys', `${name}.key`), () => randomBytes(32).toString('base64url'));
}

/** The file's trimmed text; undefined when there is none. */
function readKept(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The secret kept at `path`, made with `make` the first time. The file appears whole or not at all:
 * the value is written to a private temporary file and hard-linked into place, so a command killed
 * with -9 half way never leaves an empty secret behind, and of two commands making it at once the
 * first link wins and both return its value. An empty file (left by a crash of an earlier version)
 * is replaced.
 */
export function keptSecret(path: string, make: () => string): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 5; attempt++) {
    const kept = readKept(path);
    if (kept) return kept;
    if (kept === '') unlinkQuietly(path);
    const value = make();
    const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
    writeFileSync(temporary, `${value}\n`, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(temporary, path);
      return value;
    } catch (error) {
      // EEXIST: another command made it first; read theirs on the next pass.
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    } finally {
      unlinkQuietly(temporary);
    }
  }
  throw new Error(`could not keep a secret at ${path}: it kept changing under this command`);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
