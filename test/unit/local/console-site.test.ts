// The rules both console servers share (infra/console-site.ts): which origin answers a path, what
// the viewer-request function (the file CloudFront runs, evaluated here as the local server does)
// makes of a path, and the CSP.
import { describe, expect, it } from 'vitest';
import { consoleCsp, consoleResponseHeaders } from '../../../infra/console-site.js';
import { consoleOrigin, matchesPathPattern, viewerRequestFunction } from '../../../local/console-static.js';

describe('consoleOrigin', () => {
  it.each([
    ['/console', 'static'],
    ['/console/', 'static'],
    ['/console/index.html', 'static'],
    ['/console/assets/index-abc.js', 'static'],
    ['/console/campaigns/renewal', 'static'],
    ['/console/config.json', 'static'],
    // CloudFront's `/console/v1/*` does not match the bare path: it is an app path, as in the cloud.
    ['/console/v1', 'static'],
    ['/console/v1/', 'api'],
    ['/console/v1/campaigns', 'api'],
    ['/console/v1/customers/c-1/export', 'api'],
    ['/v1/campaigns', 'api'],
    ['/webhooks/acme', 'api'],
    ['/consoles', 'api'],
    ['/', 'api'],
    ['/Console/', 'api'],
  ] as const)('%s → %s', (path, origin) => {
    expect(consoleOrigin(path)).toBe(origin);
  });
});

describe('matchesPathPattern (CloudFront path patterns)', () => {
  it('treats * as any run of characters and ? as one, everything else literally', () => {
    expect(matchesPathPattern('/console/v1/*', '/console/v1/x/y')).toBe(true);
    expect(matchesPathPattern('/console/v1/*', '/console/v1x')).toBe(false);
    expect(matchesPathPattern('/a?c', '/abc')).toBe(true);
    expect(matchesPathPattern('/a.c', '/abc')).toBe(false);
    expect(matchesPathPattern('/a+(b)', '/a+(b)')).toBe(true);
  });
});

describe('the viewer-request function', () => {
  const viewer = viewerRequestFunction();

  it.each([
    ['/console/', { uri: '/console/index.html' }],
    ['/console/index.html', { uri: '/console/index.html' }],
    ['/console/assets/index-abc.js', { uri: '/console/assets/index-abc.js' }],
    ['/console/config.json', { uri: '/console/config.json' }],
    ['/console/campaigns/renewal', { uri: '/console/index.html' }],
    ['/console/assets/', { uri: '/console/assets/index.html' }],
  ])('%s → %o', (path, expected) => {
    expect(viewer(path)).toMatchObject(expected);
  });

  it('redirects the bare console path and the root to /console/', () => {
    for (const path of ['/console', '/'])
      expect(viewer(path)).toMatchObject({ statusCode: 301, headers: { location: { value: '/console/' } } });
  });

  it('refuses a file that defines no handler', () => {
    expect(() => viewerRequestFunction('var x = 1;')).toThrow(/no handler/);
  });
});

describe('the console CSP', () => {
  it('allows only this origin for scripts and calls, and the hosted UI for the token exchange', () => {
    const local = consoleCsp();
    expect(local).toContain("script-src 'self';");
    expect(local).toContain("connect-src 'self';");
    expect(local).toContain("frame-ancestors 'none'");
    expect(local).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    const cloud = consoleCsp({ cognitoOrigin: 'https://tp.auth.eu-central-1.amazoncognito.com' });
    expect(cloud).toContain("connect-src 'self' https://tp.auth.eu-central-1.amazoncognito.com;");
    expect(cloud.replace(' https://tp.auth.eu-central-1.amazoncognito.com', '')).toBe(local);
  });

  it('is the Content-Security-Policy the local server sends, with the headers CloudFront adds', () => {
    expect(consoleResponseHeaders()).toEqual({
      'Content-Security-Policy': consoleCsp(),
      'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'same-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    });
  });
});
