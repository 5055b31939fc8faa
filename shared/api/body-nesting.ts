// Refuses a JSON body nested deeper than MAX_JSON_DEPTH with a 400 problem before any validator
// parses it, so nothing behind the route (zod, the document walks, serializers, clones) ever holds a
// value deep enough to overflow the stack. Runs after the body limit, so the text it reads is
// bounded; hono keeps the text, and the route's validator parses it without reading the body twice.
// NDJSON bodies (imports) are not judged here: each line is validated on its own, with its number.
import type { MiddlewareHandler } from 'hono';
import { nestingOverflowLine, TOO_DEEP_MESSAGE } from '../domain/json-nesting.js';
import { MAX_JSON_DEPTH } from '../domain/limits.js';
import { PROBLEM_TYPES, problem } from './problem.js';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

export function refuseDeepJson(max: number = MAX_JSON_DEPTH): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) return next();
    if (nestingOverflowLine(await c.req.text(), max) === undefined) return next();
    return problem(c, {
      type: PROBLEM_TYPES.validation,
      title: 'Invalid request',
      status: 400,
      detail: `The body nests deeper than ${max} levels; no document does.`,
      errors: [{ path: '', message: TOO_DEEP_MESSAGE }],
    });
  };
}
