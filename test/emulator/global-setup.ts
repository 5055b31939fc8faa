// One DynamoDB Local (in memory) for the whole emulator tier; each test file makes its own
// uniquely named table (test/emulator/support/ddb.ts), so files never see each other's data.
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, stopOnExit } from '../../local/dynamodb-local.js';
import { synthStoreTemplate } from './support/store-template.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
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
    await ddb.stop();
    unregister();
  };
}
