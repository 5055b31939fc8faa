#!/usr/bin/env node
// The touchpoint CLI. Runs the TypeScript sources directly, so there is no build step.
// The Node check runs before any dependency loads, so a too-old Node gets one clear line, not a
// syntax error from deep inside a package. Keep it equal to package.json "engines": the floor is
// what the dependencies declare (vitest's bundler and yargs need ^20.19.0 || >=22.12.0).
const [major, minor] = process.versions.node.split('.').map(Number);
if (!((major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 23)) {
  console.error(
    `touchpoint needs Node.js 20.19+ on the 20 line, or 22.12 or newer; this is ${process.version}. ` +
      'Install a current Node.js LTS and run `npm ci` again.',
  );
  process.exit(2);
}
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const command = process.argv[2];
// The commands that run the emulators, the CDK app and the state machine in this process take tsx,
// which handles any TypeScript. Every other command is a short client of the local API: it takes
// the small cached loader in ts-hooks.mjs, which starts in a fraction of tsx's time.
if (command === '__stack' || command === 'serve' || command === 'demo') {
  const { register } = await import('tsx/esm/api');
  register();
} else {
  const { register } = await import('node:module');
  register('./ts-hooks.mjs', import.meta.url);
}
if (process.env.TOUCHPOINT_DEBUG) process.setSourceMapsEnabled(true);
if (command === '__stack') {
  // Internal: the detached background stack that commands start for a data dir (local/stack/).
  // Its output is the tail the starting command prints on failure: a missing or old Java must be
  // one line there, not a stack trace from the depths of the start.
  const { checkJava, JavaMissingError } = await import('../local/dynamodb-local.ts');
  try {
    checkJava();
  } catch (error) {
    if (!(error instanceof JavaMissingError)) throw error;
    console.error(`touchpoint: ${error.message}`);
    process.exit(1);
  }
  const { runStack } = await import('../local/stack/daemon.ts');
  await runStack(process.argv[3] ?? '.touchpoint');
} else {
  const { main } = await import('../local/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
