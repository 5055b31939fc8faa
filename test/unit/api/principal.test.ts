// The principal from each way in: an IAM caller, the development token, Cognito claims (with
// `cognito:groups` in every form API Gateway passes it).
import { describe, expect, it } from 'vitest';
import {
  cognitoGroups,
  principalFromClaims,
  resolvePrincipal,
  roleOfGroups,
} from '../../../shared/api/principal.js';

describe('cognito:groups', () => {
  it.each([
    ['admin', ['admin']],
    ['[admin editor]', ['admin', 'editor']],
    ['[viewer]', ['viewer']],
    ['admin,editor', ['admin', 'editor']],
    ['[]', []],
    ['', []],
  ])('%j reads as %j', (given, groups) => {
    expect(cognitoGroups.parse(given)).toEqual(groups);
  });

  it('takes an array too (the token itself, an HTTP API)', () => {
    expect(cognitoGroups.parse(['editor', 'viewer'])).toEqual(['editor', 'viewer']);
  });

  it('the highest named role wins; other groups are ignored', () => {
    expect(roleOfGroups(['viewer', 'admin', 'editor'])).toBe('admin');
    expect(roleOfGroups(['marketing', 'editor'])).toBe('editor');
    expect(roleOfGroups(['marketing'])).toBeUndefined();
  });
});

describe('resolvePrincipal', () => {
  it('Cognito claims: subject sub, name email, the role from the groups', () => {
    const env = {
      requestContext: {
        authorizer: { claims: { sub: 's-1', email: 'ann@example.com', 'cognito:groups': '[viewer editor]' } },
      },
    };
    expect(resolvePrincipal(env, false)).toEqual({
      ok: true,
      principal: { subject: 's-1', name: 'ann@example.com', role: 'editor', via: 'cognito' },
    });
  });

  it('Cognito claims without a role group: no-role (403), never a default role', () => {
    expect(principalFromClaims({ sub: 's-1', email: 'a@b.c' })).toEqual({
      ok: false,
      reason: 'no-role',
      subject: 's-1',
    });
  });

  it('the development token: admin, "local developer"', () => {
    expect(resolvePrincipal({}, true)).toMatchObject({
      ok: true,
      principal: { name: 'local developer', role: 'admin', via: 'token' },
    });
  });

  it('an IAM caller (REST v1 and HTTP v2 payloads): admin, named by its ARN', () => {
    const arn = 'arn:aws:iam::123456789012:user/ops';
    for (const env of [
      { requestContext: { identity: { userArn: arn } } },
      { requestContext: { authorizer: { iam: { userArn: arn } } } },
    ])
      expect(resolvePrincipal(env, false)).toEqual({
        ok: true,
        principal: { subject: arn, name: arn, role: 'admin', via: 'iam' },
      });
  });

  it('nothing that authenticates: unauthenticated (a null userArn, as a Cognito request carries, is not IAM)', () => {
    expect(resolvePrincipal({ requestContext: { identity: { userArn: null } } }, false)).toEqual({
      ok: false,
      reason: 'unauthenticated',
    });
    expect(resolvePrincipal(undefined, false)).toEqual({ ok: false, reason: 'unauthenticated' });
  });
});
