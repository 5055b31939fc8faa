// `cdk deploy` refuses placeholder settings unless it is a sandbox deploy; `cdk synth` never does.
// The refusal is a CloudFormation rule (evaluated by CloudFormation when the change set is made),
// so these tests read the rule in the synthesized template.
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { placeholderProblems } from '../../infra/constructs/deploy-guard.js';
import { buildApp, SYNTH_TIMEOUT_MS, TEST_CONTEXT } from './synth-helper.js';

const rulesOf = (t: Template): Record<string, unknown> => {
  const rules: unknown = Reflect.get(t.toJSON(), 'Rules');
  return typeof rules === 'object' && rules !== null ? { ...rules } : {};
};
const guardRules = (t: Template) => Object.keys(rulesOf(t)).filter((id) => id.includes('RefusePlaceholder'));

describe('deploy guard', () => {
  let bare: Template;
  let sandbox: Template;
  let real: Template;
  beforeAll(() => {
    // No context at all: what `cdk synth` does on a fresh clone, offline.
    bare = Template.fromStack(buildApp({}).stack);
    sandbox = Template.fromStack(buildApp({ sandbox: 'true' }).stack);
    real = Template.fromStack(buildApp(TEST_CONTEXT).stack);
  }, SYNTH_TIMEOUT_MS);

  it('synthesizes with no context, and then carries a rule that fails every deploy with the reasons', () => {
    const ids = guardRules(bare);
    expect(ids).toHaveLength(1);
    const rule = JSON.stringify(rulesOf(bare)[ids[0] ?? '']);
    expect(rule).toContain('outreach@example.com is a placeholder');
    expect(rule).toContain('smsOriginationIdentity');
    expect(rule).toContain('-c sandbox=true');
    // The assertion compares a parameter whose only default fails it.
    const params = bare.findParameters('*', { Default: 'refused' });
    expect(Object.keys(params)).toHaveLength(1);
    expect(rule).toContain(Object.keys(params)[0]);
  });

  it('has no rule for a sandbox deploy, nor for real settings', () => {
    expect(guardRules(sandbox)).toEqual([]);
    expect(guardRules(real)).toEqual([]);
    expect(Object.keys(sandbox.findParameters('*', { Default: 'refused' }))).toEqual([]);
  });

  it('names what is a placeholder: reserved domains, and an SMS decision not made', () => {
    expect(
      placeholderProblems({ senderEmail: 'a@mail.example.org', smsOriginationIdentity: 'none' }),
    ).toHaveLength(1);
    expect(placeholderProblems({ senderEmail: 'a@shop.test', smsOriginationIdentity: 'none' })).toHaveLength(
      1,
    );
    expect(placeholderProblems({ senderEmail: 'a@shop.de', smsOriginationIdentity: 'none' })).toEqual([]);
    expect(placeholderProblems({ senderEmail: 'a@shop.de' })).toHaveLength(1);
  });
});
