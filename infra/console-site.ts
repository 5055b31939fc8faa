// How the console is served, in one place for both servers: CloudFront in the cloud
// (infra/constructs/console-hosting.ts) and the local API server (local/console-static.ts). No CDK
// import here: the local server reads it on every start.
import { join } from 'node:path';
import { PROJECT_ROOT } from './names.js';

/** The console's base path (Vite's `base` in console/vite.config.ts). */
export const CONSOLE_BASE = '/console/';
/** The API on the console's origin: CloudFront sends it to API Gateway, never to S3. */
export const CONSOLE_API_PATH_PATTERN = '/console/v1/*';
/** What the app calls its API base (config.json). */
export const CONSOLE_API_BASE = '/console/v1';
/** Vite's hashed output (build.assetsDir): a name changes whenever its bytes do. */
export const CONSOLE_ASSETS_DIR = 'assets';

/**
 * The viewer-request CloudFront Function (cloudfront-js-2.0): `/console` → `/console/`, a directory
 * → its index.html, an app route (no file extension) → the app's index.html. The local server runs
 * the same file, so both answer a path alike.
 */
export const VIEWER_REQUEST_FUNCTION_FILE = join(PROJECT_ROOT, 'infra', 'console-viewer-request.js');

export const CACHE_CONTROL = {
  /** Hashed assets: never revalidated. */
  immutable: 'public, max-age=31536000, immutable',
  /** index.html and config.json: revalidated on every load, so a deploy shows at once. */
  revalidate: 'no-cache',
} as const;

/**
 * The Content-Security-Policy of every console response. `cognitoOrigin` (the hosted UI's
 * `https://…amazoncognito.com`, a token in the cloud) is where the app exchanges its sign-in code
 * for tokens; locally there is none.
 *
 * - style-src 'unsafe-inline': Mantine writes its CSS variables in a <style> element and style props
 *   as style attributes; the email preview (an <iframe sandbox srcdoc>, which inherits this policy)
 *   is HTML email, styled inline by design. Scripts stay 'self' only: no inline script, no eval.
 * - img-src https: the email preview shows the images an email links (logos), as a mail client would.
 * - frame-src: none needed, a srcdoc frame loads nothing; frame-ancestors 'none': no one frames the console.
 */
export function consoleCsp(opts: { cognitoOrigin?: string } = {}): string {
  const connect = ["'self'", ...(opts.cognitoOrigin ? [opts.cognitoOrigin] : [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

/** The response headers besides the CSP, as CloudFront's response headers policy sets them. */
export const SECURITY_HEADERS = {
  strictTransportSecurity: { maxAgeSeconds: 63_072_000, includeSubdomains: true },
  referrerPolicy: 'same-origin',
  frameOptions: 'DENY',
  permissionsPolicy: 'camera=(), microphone=(), geolocation=(), payment=()',
} as const;

/** The same headers as a header map (the local server; tests compare it with the template). */
export function consoleResponseHeaders(opts: { cognitoOrigin?: string } = {}): Record<string, string> {
  const hsts = SECURITY_HEADERS.strictTransportSecurity;
  return {
    'Content-Security-Policy': consoleCsp(opts),
    'Strict-Transport-Security': `max-age=${hsts.maxAgeSeconds}${hsts.includeSubdomains ? '; includeSubDomains' : ''}`,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': SECURITY_HEADERS.frameOptions,
    'Referrer-Policy': SECURITY_HEADERS.referrerPolicy,
    'Permissions-Policy': SECURITY_HEADERS.permissionsPolicy,
  };
}
