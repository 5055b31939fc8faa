// The console in the cloud, asserted on the synthesized template: a private, encrypted bucket read
// only by the distribution (origin access control), the API on the same origin at /console/v1/*
// (never cached, every viewer header but Host), the security headers with the CSP the local server
// sends (one definition, infra/console-site.ts), and a deployment of the build with config.json.
// The build itself is bundled offline by the same function `npm start` uses.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment } from 'aws-cdk-lib/aws-s3-deployment';
import { beforeAll, describe, expect, it } from 'vitest';
import { CACHE_CONTROL, CONSOLE_API_PATH_PATTERN, consoleCsp } from '../../infra/console-site.js';
import { consoleBuildSource, DEPLOYMENT_HANDLER_ID_PREFIX } from '../../infra/constructs/console-hosting.js';
import { consoleBuildSync, consoleSourceHash } from '../../local/console-assets.js';
import { resourcesOfType, SYNTH_TIMEOUT_MS, synthTemplate } from './synth-helper.js';

type Props = Record<string, unknown>;
const obj = (v: unknown): Props =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** CloudFront's managed policies (their ids are fixed by AWS). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

let template: Template;
let json: Props;
const only = (type: string): [string, Props] => {
  const found = resourcesOfType(template, type).filter(([id]) => id.startsWith('Console'));
  expect(found, type).toHaveLength(1);
  const [first] = found;
  if (!first) throw new Error(`no ${type}`);
  return first;
};

beforeAll(() => {
  ({ template } = synthTemplate());
  json = obj(template.toJSON());
}, SYNTH_TIMEOUT_MS);

describe('the console bucket', () => {
  it('is private, encrypted and refuses plain HTTP', () => {
    const [bucketId, bucket] = resourcesOfType(template, 'AWS::S3::Bucket').find(([id]) =>
      id.startsWith('ConsoleSite'),
    ) ?? ['', {}];
    expect(bucketId).not.toBe('');
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(JSON.stringify(bucket.BucketEncryption)).toContain('"SSEAlgorithm":"AES256"');
    const [, policy] = only('AWS::S3::BucketPolicy');
    const statements = list(obj(policy.PolicyDocument).Statement).map(obj);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    // Read by CloudFront alone, for this distribution alone: no other Allow.
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Action: 's3:GetObject',
      Principal: { Service: 'cloudfront.amazonaws.com' },
    });
    expect(JSON.stringify(obj(allows[0]).Condition)).toMatch(
      /AWS:SourceArn.*:distribution\/.*ConsoleDistribution/,
    );
  });
});

describe('the distribution', () => {
  it('reads the bucket through origin access control and the API through API Gateway', () => {
    const [oacId, oac] = only('AWS::CloudFront::OriginAccessControl');
    expect(oac.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const [, dist] = only('AWS::CloudFront::Distribution');
    const config = obj(dist.DistributionConfig);
    const origins = list(config.Origins).map(obj);
    const s3 = origins.find((o) => o.S3OriginConfig !== undefined);
    expect(s3?.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
    expect(JSON.stringify(s3?.DomainName)).toContain('ConsoleSite');
    const api = origins.find((o) => o.CustomOriginConfig !== undefined);
    expect(JSON.stringify(api?.DomainName)).toMatch(/ApiRestApi.*execute-api/);
    expect(api?.OriginPath).toEqual(expect.anything());
    expect(obj(api?.CustomOriginConfig)).toMatchObject({ OriginProtocolPolicy: 'https-only' });
  });

  it('serves the build by default (GET/HEAD, HTTPS, the viewer function, the headers policy)', () => {
    const [headersId] = only('AWS::CloudFront::ResponseHeadersPolicy');
    const [functionId] = only('AWS::CloudFront::Function');
    const config = obj(only('AWS::CloudFront::Distribution')[1].DistributionConfig);
    const origins = list(config.Origins).map(obj);
    const s3Id = origins.find((o) => o.S3OriginConfig !== undefined)?.Id;
    expect(config.DefaultCacheBehavior).toMatchObject({
      TargetOriginId: s3Id,
      AllowedMethods: ['GET', 'HEAD'],
      ViewerProtocolPolicy: 'redirect-to-https',
      ResponseHeadersPolicyId: { Ref: headersId },
      FunctionAssociations: [
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
      ],
    });
  });

  it('sends /console/v1/* to the API uncached, with every viewer header but Host', () => {
    const config = obj(only('AWS::CloudFront::Distribution')[1].DistributionConfig);
    const origins = list(config.Origins).map(obj);
    const apiId = origins.find((o) => o.CustomOriginConfig !== undefined)?.Id;
    const behaviors = list(config.CacheBehaviors).map(obj);
    expect(behaviors).toHaveLength(1);
    expect(behaviors[0]).toMatchObject({
      PathPattern: CONSOLE_API_PATH_PATTERN,
      TargetOriginId: apiId,
      CachePolicyId: CACHING_DISABLED,
      OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
      ViewerProtocolPolicy: 'https-only',
    });
    expect(list(obj(behaviors[0]).AllowedMethods)).toEqual(
      expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
    );
  });

  it('runs the viewer function from the file the local server runs', () => {
    const [, fn] = only('AWS::CloudFront::Function');
    expect(obj(fn.FunctionConfig).Runtime).toBe('cloudfront-js-2.0');
    expect(fn.FunctionCode).toBe(readFileSync(join('infra', 'console-viewer-request.js'), 'utf8'));
  });

  it('sets the CSP of infra/console-site.ts with the hosted UI as the one other connect-src, and HSTS', () => {
    const [, policy] = only('AWS::CloudFront::ResponseHeadersPolicy');
    const security = obj(obj(policy.ResponseHeadersPolicyConfig).SecurityHeadersConfig);
    const csp = obj(security.ContentSecurityPolicy);
    expect(csp.Override).toBe(true);
    // The policy with its token parts (the hosted UI's domain, the region) marked: the same string
    // consoleCsp() makes for any Cognito origin.
    const parts = list(obj(csp.ContentSecurityPolicy)['Fn::Join']);
    const rendered = list(parts[1])
      .map((p) => (typeof p === 'string' ? p : JSON.stringify(p)))
      .join('');
    expect(rendered).toContain('ConsoleAuthUserPoolHostedUi');
    const origin = /connect-src 'self' (\S+);/.exec(rendered)?.[1] ?? '';
    expect(origin).toMatch(/^https:\/\/.*\.amazoncognito\.com$/);
    expect(rendered).toBe(consoleCsp({ cognitoOrigin: origin }));
    expect(rendered).toContain("frame-ancestors 'none'");
    expect(security.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 63_072_000,
      Override: true,
    });
    expect(security.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
  });
});

describe('the deployment', () => {
  const deployments = () =>
    resourcesOfType(template, 'Custom::CDKBucketDeployment').filter(([id]) => id.startsWith('Console'));

  it('copies hashed assets (immutable, kept) before index.html and config.json (revalidated, pruned)', () => {
    const [[assetsId, assets] = ['', {}], [pagesId, pages] = ['', {}]] = deployments().sort(([a], [b]) =>
      a.includes('Assets') ? -1 : b.includes('Assets') ? 1 : 0,
    );
    expect(assetsId).toContain('DeployAssets');
    expect(assets).toMatchObject({
      DestinationBucketKeyPrefix: 'console/',
      Exclude: ['*'],
      Include: ['assets/*'],
      Prune: false,
      SystemMetadata: { 'cache-control': CACHE_CONTROL.immutable },
    });
    expect(pagesId).toContain('DeployPages');
    expect(pages).toMatchObject({
      DestinationBucketKeyPrefix: 'console/',
      Exclude: ['assets/*'],
      Prune: true,
      SystemMetadata: { 'cache-control': CACHE_CONTROL.revalidate },
    });
    const dependsOn = list(obj(obj(json.Resources)[pagesId]).DependsOn).map(String);
    expect(dependsOn.some((d) => d.startsWith('ConsoleDeployAssets'))).toBe(true);
  });

  it('deploys a config.json naming the user pool client, its hosted UI and the distribution', () => {
    const [, pages] = deployments().find(([id]) => id.includes('DeployPages')) ?? ['', {}];
    // Two sources: the build and the generated config.json, whose deploy-time values are markers.
    expect(list(pages.SourceObjectKeys)).toHaveLength(2);
    const markers = JSON.stringify(pages.SourceMarkers);
    expect(markers).toContain('ConsoleAuthUserPoolConsoleClient');
    expect(markers).toContain('ConsoleAuthUserPoolHostedUi');
    expect(markers).toContain('ConsoleDistribution');
  });

  it('gives the deployment handler its own role and log group, not the managed basic-execution policy', () => {
    const handlers = resourcesOfType(template, 'AWS::Lambda::Function').filter(([id]) =>
      id.startsWith(DEPLOYMENT_HANDLER_ID_PREFIX),
    );
    expect(handlers).toHaveLength(1);
    const [, handler] = handlers[0] ?? ['', {}];
    expect(JSON.stringify(handler.Role)).toContain('ConsoleDeployRole');
    expect(JSON.stringify(handler.LoggingConfig)).toContain('ConsoleDeployLogs');
    const [, role] = resourcesOfType(template, 'AWS::IAM::Role').find(([id]) =>
      id.startsWith('ConsoleDeployRole'),
    ) ?? ['', {}];
    expect(role.ManagedPolicyArns).toBeUndefined();
  });
});

describe('bundling the build offline', () => {
  it('runs the local build (cached) into the asset, with no Docker', () => {
    const outdir = join('.test-data', `cdk-console-${process.pid}`);
    const app = new App({ outdir });
    const stack = new Stack(app, 'ConsoleBundle');
    new BucketDeployment(stack, 'Deploy', {
      sources: [consoleBuildSource()],
      destinationBucket: new Bucket(stack, 'Bucket'),
    });
    const assembly = app.synth();
    // The asset is staged under CDK's hash of our content hash, the key the deployment names.
    const [key] = Object.values(Template.fromStack(stack).findResources('Custom::CDKBucketDeployment'))
      .flatMap((r) => list(obj(obj(r).Properties).SourceObjectKeys))
      .map(String);
    expect(key).toMatch(/^[0-9a-f]{64}\.zip$/);
    const staged = join(assembly.directory, `asset.${String(key).replace(/\.zip$/, '')}`);
    expect(existsSync(staged), staged).toBe(true);
    const index = readFileSync(join(staged, 'index.html'), 'utf8');
    expect(index).toMatch(/<script type="module" crossorigin src="\/console\/assets\/[\w-]+\.js">/);
    // A second synth of the same sources finds the kept build: no Vite run.
    const again = consoleBuildSync();
    expect(again.built).toBe(false);
    expect(consoleSourceHash()).toBe(again.hash);
    rmSync(outdir, { recursive: true, force: true });
  }, 300_000);
});
