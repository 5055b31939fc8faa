import { defineConfig } from 'vitest/config';

// Three tiers, each saying what it proves:
// unit      — pure logic and adapters over aws-sdk-client-mock, no I/O;
// emulator  — DynamoDB Local, the synthesized ASL in aws-local-stepfunctions, the local SES server;
// infra     — assertions on the synthesized CloudFormation template, cdk-nag.
export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'emulator',
          include: ['test/emulator/**/*.test.ts'],
          globalSetup: ['test/emulator/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      { extends: true, test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000 } },
    ],
    setupFiles: ['test/setup-env.ts'],
  },
});
