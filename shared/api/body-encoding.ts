// Refuses a JSON or NDJSON body that is not UTF-8 with a 400 problem before anything parses it. JSON
// exchanged between systems is UTF-8 (RFC 8259 §8.1); decoding other bytes anyway turns each into
// U+FFFD, so a Latin-1 or GBK export would be stored with its names and addresses garbled, silently.
// Runs after the body limit (the bytes it reads are bounded); hono keeps them, and the routes' own
// reads (text, json) decode the same bytes without reading the body twice.
import type { MiddlewareHandler } from 'hono';
import { PROBLEM_TYPES, problem } from './problem.js';

const TEXT_TYPE = /^application\/(?:(?:[\w.+-]+\+)?json|(?:x-)?ndjson)\b/i;

/** The 1-based line of the first byte that is not UTF-8, or undefined when all of them are. */
export function firstNonUtf8Line(bytes: Uint8Array): number | undefined {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return undefined;
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes);
    const at = text.indexOf('\uFFFD');
    return text.slice(0, Math.max(0, at)).split(/\r\n|\r|\n/).length;
  }
}

export function refuseNonUtf8(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (!TEXT_TYPE.test(c.req.header('content-type') ?? '')) return next();
    const line = firstNonUtf8Line(new Uint8Array(await c.req.arrayBuffer()));
    if (line === undefined) return next();
    return problem(c, {
      type: PROBLEM_TYPES.validation,
      title: 'Invalid request',
      status: 400,
      detail: `The body is not UTF-8 text (line ${line}); send JSON and NDJSON as UTF-8. Nothing was stored.`,
      errors: [{ path: '', message: `line ${line}: not UTF-8 text` }],
    });
  };
}
