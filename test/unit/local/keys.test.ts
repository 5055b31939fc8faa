// The data dir's kept secrets (ops token, unsubscribe and pseudonym keys) appear whole or not at all.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { devOpsToken } from '../../../local/api-server.js';
import { dataDirKey, keptSecret } from '../../../local/keys.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tp-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('keptSecret', () => {
  it('makes the secret once, owner-only, and returns the same value afterwards', () => {
    const path = join(dir, 'nested', 'secret');
    let made = 0;
    const make = () => `value-${++made}`;
    expect(keptSecret(path, make)).toBe('value-1');
    expect(keptSecret(path, make)).toBe('value-1');
    expect(made).toBe(1);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // No temporary file is left next to it.
    expect(readdirSync(join(dir, 'nested'))).toEqual(['secret']);
  });

  it('replaces an empty file, as a command killed between create and write used to leave', () => {
    writeFileSync(join(dir, 'ops-token'), '');
    const token = devOpsToken(dir, {});
    expect(token).toMatch(/^tpdev_[\w-]{32}$/);
    expect(readFileSync(join(dir, 'ops-token'), 'utf8').trim()).toBe(token);
    mkdirSync(join(dir, 'keys'));
    writeFileSync(join(dir, 'keys', 'unsubscribe.key'), '\n');
    expect(dataDirKey(dir, 'unsubscribe')).toMatch(/^[\w-]{43}$/);
  });

  it('keeps the first value when another command made it meanwhile', () => {
    const path = join(dir, 'secret');
    // The other command's file lands between this command's read and its link.
    const value = keptSecret(path, () => {
      writeFileSync(path, 'theirs\n', { mode: 0o600 });
      return 'ours';
    });
    expect(value).toBe('theirs');
    expect(readFileSync(path, 'utf8')).toBe('theirs\n');
  });

  it('the environment token wins over the kept one', () => {
    expect(devOpsToken(dir, { TOUCHPOINT_OPS_TOKEN: 'from-env' })).toBe('from-env');
    expect(readdirSync(dir)).toEqual([]);
  });
});
