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
  // The nodejs24.x runtime ships AWS SDK v3 (as CDK's NodejsFunction assumes by default): bundling
  // it again cost every function ~300 KB (the DynamoDB document client alone is 342 KB minified)
  // and its parse time on each cold start. Our code is tested against the pinned SDK in
  // package.json; the runtime's is newer, and v3 keeps its client APIs stable within the major.
  external: ['@aws-sdk/*'],
  // Some CommonJS dependencies call require(); ESM bundles have none unless we make one.
  banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
} as const;
