import { z } from 'zod';

// The slice of a synthesized CloudFormation template the local runtime reads, parsed rather than cast.
export const CfnResourceJson = z.looseObject({
  Type: z.string(),
  Properties: z.record(z.string(), z.unknown()).optional(),
  Metadata: z.record(z.string(), z.unknown()).optional(),
});
export type CfnResourceJson = z.infer<typeof CfnResourceJson>;

export const CfnTemplateJson = z.looseObject({ Resources: z.record(z.string(), CfnResourceJson) });
export type CfnTemplateJson = z.infer<typeof CfnTemplateJson>;

export class TemplateShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateShapeError';
  }
}

/** Placeholder values for pseudo parameters: the local runtime runs in no real account or region. */
export const LOCAL_ENV = {
  partition: 'aws',
  region: 'local',
  account: '000000000000',
  urlSuffix: 'amazonaws.com',
};

/** The placeholder ARN a Lambda function's `Fn::GetAtt [id, Arn]` resolves to. */
export const localFunctionArn = (logicalId: string): string =>
  `arn:${LOCAL_ENV.partition}:lambda:${LOCAL_ENV.region}:${LOCAL_ENV.account}:function:${logicalId}`;

const LOCAL_FUNCTION_ARN = /^arn:aws:lambda:local:000000000000:function:([A-Za-z0-9]+)$/;
/** The logical ID behind a placeholder function ARN, if it is one. */
export const logicalIdOfLocalFunctionArn = (arn: string): string | undefined =>
  LOCAL_FUNCTION_ARN.exec(arn)?.[1];

const PSEUDO: Record<string, string> = {
  'AWS::Partition': LOCAL_ENV.partition,
  'AWS::Region': LOCAL_ENV.region,
  'AWS::AccountId': LOCAL_ENV.account,
  'AWS::URLSuffix': LOCAL_ENV.urlSuffix,
  'AWS::StackName': 'local',
};

const SERVICE_OF_TYPE: Record<string, { service: string; resource: string }> = {
  'AWS::Lambda::Function': { service: 'lambda', resource: 'function:' },
  'AWS::Events::EventBus': { service: 'events', resource: 'event-bus/' },
  'AWS::StepFunctions::StateMachine': { service: 'states', resource: 'stateMachine:' },
  'AWS::SQS::Queue': { service: 'sqs', resource: '' },
  'AWS::DynamoDB::Table': { service: 'dynamodb', resource: 'table/' },
  'AWS::DynamoDB::GlobalTable': { service: 'dynamodb', resource: 'table/' },
};

/** The placeholder ARN of any resource: `arn:aws:<service>:local:000000000000:<resource><LogicalId>`. */
export function localArn(template: CfnTemplateJson, logicalId: string): string {
  const type = template.Resources[logicalId]?.Type;
  if (type === undefined) throw new TemplateShapeError(`GetAtt of unknown resource ${logicalId}`);
  const known = SERVICE_OF_TYPE[type];
  const service = known?.service ?? type.split('::')[1]?.toLowerCase() ?? 'unknown';
  return `arn:${LOCAL_ENV.partition}:${service}:${LOCAL_ENV.region}:${LOCAL_ENV.account}:${known?.resource ?? ''}${logicalId}`;
}

/**
 * Resolves the intrinsics CDK puts in strings: `Fn::Join`, `Ref` (pseudo parameters → placeholders,
 * resources → their logical ID, which the local runtime uses as the physical name), `Fn::GetAtt
 * [id, Arn]` → a placeholder ARN, `Fn::Sub` with a variable map.
 */
export function resolveString(template: CfnTemplateJson, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const parsed = Intrinsic.safeParse(value);
  if (!parsed.success) throw new TemplateShapeError(`cannot resolve ${JSON.stringify(value)}`);
  const fn = parsed.data;
  if ('Ref' in fn) {
    const pseudo = PSEUDO[fn.Ref];
    if (pseudo !== undefined) return pseudo;
    if (template.Resources[fn.Ref] === undefined) throw new TemplateShapeError(`Ref to unknown ${fn.Ref}`);
    return fn.Ref;
  }
  if ('Fn::GetAtt' in fn) {
    const [id, attribute] = fn['Fn::GetAtt'];
    if (attribute === 'Arn') return localArn(template, id);
    if (attribute === 'Name' || attribute === 'QueueName' || attribute === 'TableName') return id;
    throw new TemplateShapeError(`unsupported GetAtt ${id}.${attribute}`);
  }
  if ('Fn::Join' in fn) {
    const [delimiter, parts] = fn['Fn::Join'];
    return parts.map((p) => resolveString(template, p)).join(delimiter);
  }
  const [text, vars] = typeof fn['Fn::Sub'] === 'string' ? [fn['Fn::Sub'], {}] : fn['Fn::Sub'];
  return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    if (name in vars) return resolveString(template, vars[name]);
    return resolveString(
      template,
      name.endsWith('.Arn') ? { 'Fn::GetAtt': [name.slice(0, -4), 'Arn'] } : { Ref: name },
    );
  });
}

const Intrinsic = z.union([
  z.object({ Ref: z.string() }),
  z.object({ 'Fn::GetAtt': z.tuple([z.string(), z.string()]) }),
  z.object({ 'Fn::Join': z.tuple([z.string(), z.array(z.unknown())]) }),
  z.object({ 'Fn::Sub': z.union([z.string(), z.tuple([z.string(), z.record(z.string(), z.unknown())])]) }),
]);

export function parseTemplate(json: unknown): CfnTemplateJson {
  const parsed = CfnTemplateJson.safeParse(json);
  if (!parsed.success) throw new TemplateShapeError(`not a CloudFormation template: ${parsed.error.message}`);
  return parsed.data;
}

const literalEnvironment = z.object({
  Environment: z.object({ Variables: z.record(z.string(), z.unknown()) }).optional(),
});

/**
 * The environment variables the template sets on the function whose entry is `functions/<role>.ts`,
 * the literal ones only (references such as a table name are the local runtime's own): what the
 * local runtime reads instead of redeclaring a setting that infra owns.
 */
export function functionEnvironment(template: CfnTemplateJson, role: string): Record<string, string> {
  const entry = `functions/${role}.ts`;
  const fn = Object.values(template.Resources).find(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['touchpoint:entry'] === entry,
  );
  if (!fn) throw new TemplateShapeError(`the template has no function for ${entry}`);
  const vars = literalEnvironment.parse(fn.Properties ?? {}).Environment?.Variables ?? {};
  return Object.fromEntries(
    Object.entries(vars).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as const] : [])),
  );
}
