// One DynamoDB Local (in memory) for the whole emulator tier; each test file makes its own
// uniquely named table (test/emulator/support/ddb.ts), so files never see each other's data.
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, stopOnExit } from '../../local/dynamodb-local.js';
import { liveStacks } from '../../local/stack/registry.js';
import { stopDataDirStack } from '../../local/stack/stop.js';
import { synthStoreTemplate } from './support/store-template.js';

/**
 * Background stacks that this test run started (tagged through the environment the CLI and the
 * stacks inherit) and left running: each test stops its own in afterAll, so any found here is a bug:
 * stopped, then reported.
 */
async function stopLeakedStacks(tag: string): Promise<string[]> {
  const leaked = liveStacks().filter((s) => s.tag === tag);
  for (const s of leaked) await stopDataDirStack(s.dataDir, { backgroundOnly: true });
  return leaked.map((s) => s.dataDir);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const tag = `vitest-${process.pid}`;
  process.env.TOUCHPOINT_STACK_TAG = tag;
  // test/setup-env.ts does not run in this (main) process.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const starting = startDynamoDbLocal({});
  // Synthesis is CPU-bound; the JVM boots meanwhile.
  const template = await synthStoreTemplate().catch(async (err: unknown) => {
    await (await starting).stop();
    throw err;
  });
  const ddb = await starting;
  const unregister = stopOnExit(ddb);
  project.provide('ddbEndpoint', ddb.endpoint);
  project.provide('storeTemplate', template);
  // Child processes (the CLI under test) find it here.
  process.env.TOUCHPOINT_TEST_DDB_ENDPOINT = ddb.endpoint;
  return async () => {
    const leaked = await stopLeakedStacks(tag);
    await ddb.stop();
    unregister();
    if (leaked.length > 0)
      throw new Error(`tests left background stacks running (stopped now): ${leaked.join(', ')}`);
  };
}
