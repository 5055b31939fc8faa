import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { z } from 'zod';
import {
  type CfnTemplateJson,
  logicalIdOfLocalFunctionArn,
  resolveString,
  TemplateShapeError,
} from './cfn-template.js';

/** A Task state and what runs it locally. */
export interface TaskStateInfo {
  stateName: string;
  kind: 'lambda' | 'putEvents';
  /** For `lambda`: the function's logical ID in the template. */
  functionLogicalId?: string;
  /** For `lambda`: the handler source, from the function's `touchpoint:entry` metadata. */
  entry?: string;
}

export interface StateMachineFromTemplate {
  logicalId: string;
  /** Plain ASL: every intrinsic resolved to local placeholders. */
  definition: StateMachineDefinition;
  taskStates: TaskStateInfo[];
  /** Every Wait state (nested ones included): the local clock overrides their waits. */
  waitStates: string[];
}

// Only what the walk needs; every other field passes through untouched to the runner.
const AslState: z.ZodType<AslState> = z.lazy(() =>
  z.looseObject({
    Type: z.string(),
    Resource: z.string().optional(),
    Parameters: z.unknown().optional(),
    ItemProcessor: AslDefinition.optional(),
    Iterator: AslDefinition.optional(),
    Branches: z.array(AslDefinition).optional(),
  }),
);
interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: unknown;
  ItemProcessor?: AslDefinition;
  Iterator?: AslDefinition;
  Branches?: AslDefinition[];
  [key: string]: unknown;
}
const AslDefinition: z.ZodType<AslDefinition> = z.lazy(() =>
  z.looseObject({ StartAt: z.string(), States: z.record(z.string(), AslState) }),
);
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  [key: string]: unknown;
}

const FunctionNameParameters = z.looseObject({ FunctionName: z.string() });

/** The run state machine's logical id starts so (`Runs` construct, `RunMachine`): the default to read. */
export const RUN_MACHINE_LOGICAL_PREFIX = 'RunsRunMachine';

/**
 * Reads one state machine of a synthesized template (the one whose logical id starts with
 * `logicalIdPrefix`; the run machine by default) as plain ASL, ready for
 * aws-local-stepfunctions, and lists its Task states (nested Map and Parallel states included) with
 * the function and source entry behind each, so the runtime can key its local handlers by state name.
 */
export function stateMachineFromTemplate(
  template: CfnTemplateJson,
  logicalIdPrefix = RUN_MACHINE_LOGICAL_PREFIX,
): StateMachineFromTemplate {
  const machines = Object.entries(template.Resources).filter(
    ([id, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && id.startsWith(logicalIdPrefix),
  );
  const [machine, ...others] = machines;
  if (machine === undefined || others.length > 0) {
    throw new TemplateShapeError(
      `expected one AWS::StepFunctions::StateMachine whose logical id starts with ${logicalIdPrefix}, found ${machines.length}`,
    );
  }
  const [logicalId, resource] = machine;
  const props = resource.Properties ?? {};
  if (props.DefinitionString === undefined) {
    throw new TemplateShapeError(
      `${logicalId} has no DefinitionString (a DefinitionS3Location is not supported)`,
    );
  }
  let text = resolveString(template, props.DefinitionString);
  const substitutions =
    z.record(z.string(), z.unknown()).optional().parse(props.DefinitionSubstitutions) ?? {};
  for (const [key, value] of Object.entries(substitutions)) {
    text = text.split(`\${${key}}`).join(resolveString(template, value));
  }
  const json: unknown = JSON.parse(text);
  const parsed = AslDefinition.safeParse(json);
  if (!parsed.success || !isStateMachineDefinition(json)) {
    throw new TemplateShapeError(`${logicalId}: not an ASL definition: ${parsed.error?.message ?? ''}`);
  }

  const taskStates: TaskStateInfo[] = [];
  const waitStates: string[] = [];
  const walk = (def: AslDefinition) => {
    for (const [stateName, state] of Object.entries(def.States)) {
      if (state.Type === 'Task') taskStates.push(describeTask(template, stateName, state));
      if (state.Type === 'Wait') waitStates.push(stateName);
      const nested = state.ItemProcessor ?? state.Iterator;
      if (nested) walk(nested);
      for (const branch of state.Branches ?? []) walk(branch);
    }
  };
  walk(parsed.data);
  return { logicalId, definition: json, taskStates, waitStates };
}

/** The runner validates the definition itself; this only establishes its outer shape for the type. */
function isStateMachineDefinition(value: unknown): value is StateMachineDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof Reflect.get(value, 'StartAt') === 'string' &&
    typeof Reflect.get(value, 'States') === 'object'
  );
}

function describeTask(template: CfnTemplateJson, stateName: string, state: AslState): TaskStateInfo {
  const resource = state.Resource ?? '';
  if (/^arn:aws[\w-]*:states:::events:putEvents/.test(resource)) return { stateName, kind: 'putEvents' };
  // payloadResponseOnly tasks name the function as the Resource; lambda:invoke tasks in Parameters.
  const direct = logicalIdOfLocalFunctionArn(resource);
  const viaInvoke = /^arn:aws[\w-]*:states:::lambda:invoke/.test(resource)
    ? FunctionNameParameters.safeParse(state.Parameters)
    : undefined;
  const functionName = direct ?? (viaInvoke?.success ? viaInvoke.data.FunctionName : undefined);
  if (functionName === undefined) {
    throw new TemplateShapeError(`state ${stateName}: unsupported task resource ${resource}`);
  }
  const functionLogicalId = logicalIdOfLocalFunctionArn(functionName) ?? functionName;
  const fn = template.Resources[functionLogicalId];
  if (fn?.Type !== 'AWS::Lambda::Function') {
    throw new TemplateShapeError(`state ${stateName}: ${functionLogicalId} is not a Lambda function`);
  }
  const entry = fn.Metadata?.['touchpoint:entry'];
  return { stateName, kind: 'lambda', functionLogicalId, ...(typeof entry === 'string' ? { entry } : {}) };
}
