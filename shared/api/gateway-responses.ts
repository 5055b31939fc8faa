// API Gateway's own refusals, as RFC 9457 problems: one table that infra turns into the REST API's
// gateway responses and that the Lambda's (and the local edge's) own refusals of the same kind
// repeat word for word, so a client sees one answer whichever layer refused it. Every response
// type API Gateway can produce has an entry with its status, so no body goes out without one.
import { PROBLEM_TYPES } from './problem.js';

export interface GatewayProblem {
  /** The HTTP status API Gateway answers with (its default for the type, made explicit). */
  status: number;
  type: string;
  title: string;
  detail: string;
  /** Extra response headers (values as sent). */
  headers?: Record<string, string>;
}

/** Seconds a throttled client is told to wait: API Gateway's buckets refill every second. */
export const GATEWAY_RETRY_AFTER_SECONDS = 1;

/** Missing and bad credentials are answered alike: the same status, type and title. */
const forbidden = (detail: string): GatewayProblem => ({
  status: 403,
  type: PROBLEM_TYPES.forbidden,
  title: 'Forbidden',
  detail,
});
const throttled = (detail: string): GatewayProblem => ({
  status: 429,
  type: PROBLEM_TYPES.throttled,
  title: 'Too many requests',
  detail,
  headers: { 'Retry-After': String(GATEWAY_RETRY_AFTER_SECONDS) },
});
const failed = (status: number, detail: string): GatewayProblem => ({
  status,
  type: PROBLEM_TYPES.unavailable,
  title: 'Service unavailable',
  detail,
});

/** Every response type API Gateway (REST) has (`AWS::ApiGateway::GatewayResponse` ResponseType). */
export const GATEWAY_RESPONSE_TYPES = [
  'MISSING_AUTHENTICATION_TOKEN',
  'INVALID_SIGNATURE',
  'EXPIRED_TOKEN',
  'ACCESS_DENIED',
  'INVALID_API_KEY',
  'WAF_FILTERED',
  'UNAUTHORIZED',
  'BAD_REQUEST_BODY',
  'BAD_REQUEST_PARAMETERS',
  'REQUEST_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RESOURCE_NOT_FOUND',
  'THROTTLED',
  'QUOTA_EXCEEDED',
  'INTEGRATION_FAILURE',
  'INTEGRATION_TIMEOUT',
  'API_CONFIGURATION_ERROR',
  'AUTHORIZER_CONFIGURATION_ERROR',
  'AUTHORIZER_FAILURE',
  'DEFAULT_4XX',
  'DEFAULT_5XX',
] as const;
export type GatewayResponseType = (typeof GATEWAY_RESPONSE_TYPES)[number];

/** By API Gateway response type. */
export const GATEWAY_PROBLEMS: Record<GatewayResponseType, GatewayProblem> = {
  MISSING_AUTHENTICATION_TOKEN: forbidden(
    'Missing Authentication Token: no such route, or the request carries no credentials (SigV4 in the cloud, the development token locally).',
  ),
  INVALID_SIGNATURE: forbidden('The request carries credentials that do not verify.'),
  EXPIRED_TOKEN: forbidden('The request carries credentials that have expired.'),
  ACCESS_DENIED: forbidden('The caller is not allowed to call this route.'),
  INVALID_API_KEY: forbidden('The request carries credentials that do not verify.'),
  WAF_FILTERED: forbidden('The request was blocked by the firewall (too many requests from this address).'),
  UNAUTHORIZED: { ...forbidden('The request carries credentials that do not verify.'), status: 401 },
  BAD_REQUEST_BODY: {
    status: 400,
    type: PROBLEM_TYPES.validation,
    title: 'Invalid request',
    detail: 'Invalid request body: the body is not a JSON object.',
  },
  BAD_REQUEST_PARAMETERS: {
    status: 400,
    type: PROBLEM_TYPES.validation,
    title: 'Invalid request',
    detail: 'Invalid request parameters.',
  },
  REQUEST_TOO_LARGE: {
    status: 413,
    type: PROBLEM_TYPES.tooLarge,
    title: 'Payload too large',
    detail: 'The request is larger than API Gateway accepts.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    type: PROBLEM_TYPES.unsupportedMedia,
    title: 'Unsupported media type',
    detail: 'Send the body as application/json.',
  },
  RESOURCE_NOT_FOUND: {
    status: 404,
    type: PROBLEM_TYPES.notFound,
    title: 'Not found',
    detail: 'No such resource.',
  },
  THROTTLED: throttled(
    'The API is receiving more requests than it takes; retry after the Retry-After delay.',
  ),
  QUOTA_EXCEEDED: throttled('The daily quota is used up.'),
  INTEGRATION_FAILURE: failed(502, 'The API function failed to answer; retry later.'),
  INTEGRATION_TIMEOUT: failed(504, 'The API function did not answer within 29 s; retry later.'),
  API_CONFIGURATION_ERROR: failed(500, 'The API is misconfigured.'),
  AUTHORIZER_CONFIGURATION_ERROR: failed(500, 'The API is misconfigured.'),
  AUTHORIZER_FAILURE: failed(500, 'The authorizer failed.'),
  DEFAULT_4XX: {
    status: 400,
    type: 'about:blank',
    title: 'Bad request',
    detail: 'API Gateway refused the request.',
  },
  DEFAULT_5XX: failed(500, 'API Gateway failed to answer; retry later.'),
};

/** The types whose status API Gateway decides per request: their template carries no fixed status. */
export const STATUS_PER_REQUEST: ReadonlySet<GatewayResponseType> = new Set(['DEFAULT_4XX', 'DEFAULT_5XX']);

/** The problem as a body: `instance` is the request path (`$context.path` in the cloud). */
export function gatewayProblemBody(
  type: GatewayResponseType,
  instance: string,
): { type: string; title: string; status?: number; detail: string; instance: string } {
  const p = GATEWAY_PROBLEMS[type];
  return {
    type: p.type,
    title: p.title,
    ...(!STATUS_PER_REQUEST.has(type) && { status: p.status }),
    detail: p.detail,
    instance,
  };
}

/** The mapping template API Gateway renders: the same body, `$context.path` filled in by the gateway. */
export function gatewayProblemTemplate(type: GatewayResponseType): string {
  const PLACEHOLDER = '\u0000instance\u0000';
  return JSON.stringify(gatewayProblemBody(type, PLACEHOLDER)).replace(
    JSON.stringify(PLACEHOLDER),
    '"$context.path"',
  );
}
