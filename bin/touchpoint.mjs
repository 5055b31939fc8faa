#!/usr/bin/env node
// The touchpoint CLI. Runs the TypeScript sources through tsx, so there is no build step.
const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  console.error(`touchpoint needs Node.js 20 or newer; this is ${process.version}.`);
  process.exit(2);
}
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../local/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
