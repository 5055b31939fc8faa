// How every Lambda is bundled, as esbuild options: the house construct passes them to
// NodejsFunction and bench/bundles.ts to esbuild itself, so the sizes the bench reports are the
// sizes that deploy. No CDK import here: the bench must not pay seconds for aws-cdk-lib.

/** esbuild options (its JS API names) of every function bundle. */
export const HOUSE_BUNDLING = {
  platform: 'node',
  format: 'esm',
  // Lambda runs nodejs24.x; esbuild lowers nothing that Node 24 understands.
  target: 'node24',
  // ESM builds of dependencies first: they tree-shake, their CommonJS builds do not.
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  treeShaking: true,
  // The AWS SDK is bundled, not taken from the runtime: the tree-shaken clients import in about
  // half the time of the runtime's whole ones (bench/bundles.ts measures both, side by side), and
  // what deploys is the SDK version the tests ran. Lambda supplies credentials in the environment,
  // so the default provider chain is replaced by that one provider (functions/commons/lambda-credentials.ts).
  external: [],
  alias: { '@aws-sdk/credential-provider-node': './functions/commons/lambda-credentials.ts' },
  // Some CommonJS dependencies call require(); ESM bundles have none unless we make one.
  banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
} as const;
