// The REST API as the synthesized template declares it: its resources and methods (with their
// authorization, request validators and models) and its gateway responses. The local edge
// (edge.ts) answers from this, so a route, an authorization type or a body check changed in infra
// changes the local API too; what it cannot emulate it refuses to start with, by name.
import { z } from 'zod';
import { type CfnTemplateJson, resolveString, TemplateShapeError } from '../cfn-template.js';

export interface ApiMethod {
  /** The method's logical id in the template. */
  logicalId: string;
  /** `GET`, `POST`, … or `ANY`. */
  httpMethod: string;
  /** The resource path as API Gateway names it: `/webhooks/{partnerId}`, `/v1/{proxy+}`. */
  path: string;
  authorization: 'NONE' | 'AWS_IAM' | 'COGNITO_USER_POOLS';
  /** COGNITO_USER_POOLS: the request header the authorizer reads the ID token from. */
  tokenHeader?: string;
  /** The JSON schema of the body per content type, when the method's validator checks bodies. */
  bodyModels: Map<string, Record<string, unknown>>;
}

export interface GatewayResponse {
  status: number | undefined;
  /** The `application/json` mapping template. */
  template: string;
  headers: Record<string, string>;
}

export interface ApiTemplate {
  methods: ApiMethod[];
  responses: Map<string, GatewayResponse>;
}

export class UnsupportedApiFeatureError extends Error {
  constructor(what: string, logicalId: string) {
    super(
      `the local API cannot emulate ${what} (${logicalId}); add it to local/edge/ or state the difference in docs/local-vs-cloud.md`,
    );
    this.name = 'UnsupportedApiFeatureError';
  }
}

const ref = z.object({ Ref: z.string() });
const rootRef = z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.literal('RootResourceId')]) });
const resourceProps = z.object({ ParentId: z.union([ref, rootRef]), PathPart: z.string() });
const methodProps = z.object({
  HttpMethod: z.string(),
  ResourceId: z.union([ref, rootRef]),
  AuthorizationType: z.string().default('NONE'),
  ApiKeyRequired: z.boolean().optional(),
  AuthorizerId: z.unknown().optional(),
  RequestValidatorId: ref.optional(),
  RequestModels: z.record(z.string(), ref).optional(),
});
const validatorProps = z.object({ ValidateRequestBody: z.boolean().optional() });
const authorizerProps = z.object({
  Type: z.string(),
  IdentitySource: z.string().default('method.request.header.Authorization'),
});
const modelProps = z.object({ Schema: z.record(z.string(), z.unknown()) });
const responseProps = z.object({
  ResponseType: z.string(),
  StatusCode: z.string().optional(),
  ResponseTemplates: z.record(z.string(), z.string()).optional(),
  ResponseParameters: z.record(z.string(), z.string()).optional(),
});

/** The context variables the local edge fills in a gateway response; any other is refused at start. */
export const RESPONSE_VARIABLES = ['$context.path'] as const;

function props<T>(schema: z.ZodType<T>, template: CfnTemplateJson, id: string): T {
  const parsed = schema.safeParse(template.Resources[id]?.Properties ?? {});
  if (!parsed.success) throw new TemplateShapeError(`${id}: ${parsed.error.message}`);
  return parsed.data;
}

const ofType = (template: CfnTemplateJson, type: string): string[] =>
  Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id]) => id);

/**
 * A COGNITO_USER_POOLS method's token header (its authorizer's identity source); undefined for
 * other methods. Any other authorizer (Lambda TOKEN/REQUEST) is refused by name.
 */
function cognitoTokenHeader(
  template: CfnTemplateJson,
  m: z.infer<typeof methodProps>,
  id: string,
): string | undefined {
  if (m.AuthorizerId === undefined) return undefined;
  const authorizer = ref.safeParse(m.AuthorizerId);
  if (!authorizer.success || m.AuthorizationType !== 'COGNITO_USER_POOLS')
    throw new UnsupportedApiFeatureError(`authorizers other than Cognito user pools`, id);
  const a = props(authorizerProps, template, authorizer.data.Ref);
  const header = /^method\.request\.header\.([A-Za-z0-9-]+)$/.exec(a.IdentitySource)?.[1];
  if (a.Type !== 'COGNITO_USER_POOLS' || header === undefined)
    throw new UnsupportedApiFeatureError(`the authorizer ${a.Type} ${a.IdentitySource}`, id);
  return header.toLowerCase();
}

export function apiFromTemplate(template: CfnTemplateJson): ApiTemplate {
  const pathOf = (parent: z.infer<typeof resourceProps>['ParentId'], seen = 0): string => {
    if ('Fn::GetAtt' in parent) return '';
    if (seen > 32) throw new TemplateShapeError('API resources form a cycle');
    const r = props(resourceProps, template, parent.Ref);
    return `${pathOf(r.ParentId, seen + 1)}/${r.PathPart}`;
  };
  const methods = ofType(template, 'AWS::ApiGateway::Method').map((id): ApiMethod => {
    const m = props(methodProps, template, id);
    if (m.ApiKeyRequired) throw new UnsupportedApiFeatureError('API keys (ApiKeyRequired)', id);
    const tokenHeader = cognitoTokenHeader(template, m, id);
    if (m.AuthorizationType !== 'NONE' && m.AuthorizationType !== 'AWS_IAM' && tokenHeader === undefined)
      throw new UnsupportedApiFeatureError(`authorization ${m.AuthorizationType}`, id);
    const validatesBody =
      m.RequestValidatorId !== undefined &&
      props(validatorProps, template, m.RequestValidatorId.Ref).ValidateRequestBody === true;
    const bodyModels = new Map(
      validatesBody
        ? Object.entries(m.RequestModels ?? {}).map(([type, model]) => [
            type.toLowerCase(),
            props(modelProps, template, model.Ref).Schema,
          ])
        : [],
    );
    return {
      logicalId: id,
      httpMethod: m.HttpMethod.toUpperCase(),
      path: pathOf(m.ResourceId) || '/',
      authorization:
        tokenHeader !== undefined
          ? 'COGNITO_USER_POOLS'
          : m.AuthorizationType === 'AWS_IAM'
            ? 'AWS_IAM'
            : 'NONE',
      ...(tokenHeader !== undefined && { tokenHeader }),
      bodyModels,
    };
  });
  const responses = new Map(
    ofType(template, 'AWS::ApiGateway::GatewayResponse').map((id) => {
      const r = props(responseProps, template, id);
      const text = r.ResponseTemplates?.['application/json'] ?? '';
      const unknown = RESPONSE_VARIABLES.reduce((t, v) => t.split(v).join(''), text).match(/\$[a-z]+\.\S*/i);
      if (unknown) throw new UnsupportedApiFeatureError(`the response variable ${unknown[0]}`, id);
      const headers = Object.fromEntries(
        Object.entries(r.ResponseParameters ?? {}).flatMap(([name, value]) => {
          const header = /^gatewayresponse\.header\.(.+)$/.exec(name)?.[1];
          const literal = /^'(.*)'$/.exec(resolveString(template, value))?.[1];
          if (header === undefined || literal === undefined)
            throw new UnsupportedApiFeatureError(`the response parameter ${name}=${value}`, id);
          return [[header, literal]];
        }),
      );
      const status = r.StatusCode === undefined ? undefined : Number(r.StatusCode);
      return [r.ResponseType, { status, template: text, headers }] as const;
    }),
  );
  return { methods, responses };
}
