// The bundles' stand-in for the default credential chain reads what Lambda puts in the environment.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultProvider } from '../../../functions/commons/lambda-credentials.js';

afterEach(() => vi.unstubAllEnvs());

describe('Lambda credentials', () => {
  it("resolves the function role's credentials from the environment", async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'token');
    await expect(defaultProvider()()).resolves.toMatchObject({
      accessKeyId: 'AKIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
  });

  it('fails clearly, without trying other sources, when the environment has none', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    await expect(defaultProvider()()).rejects.toThrow(/environment/i);
  });
});
