import { defineConfig } from 'vitest/config';

// Three tiers, each saying what it proves:
// unit      — pure logic and adapters over aws-sdk-client-mock, no I/O;
// emulator  — DynamoDB Local, the synthesized ASL in aws-local-stepfunctions, the local SES server;
// infra     — assertions on the synthesized CloudFormation template, cdk-nag.
//
// The emulator tier is two projects over one global setup each (its own in-memory DynamoDB Local,
// a uniquely named table per file). `emulator` runs in process, two files at a time beside the unit
// and infra files. `emulator-stack` — the CLI as a subprocess, background stacks, crashes, process
// groups and data-dir locks — runs one file at a time, after them: those tests start and kill whole
// stacks and count the JVMs of their data dirs, and a second stack booting beside them only slows both.
const EMULATOR = {
  globalSetup: ['test/emulator/global-setup.ts'],
  testTimeout: 120_000,
  hookTimeout: 120_000,
};
const STACK_FILES = ['test/emulator/cli/**/*.test.ts', 'test/emulator/stack/**/*.test.ts'];

export default defineConfig({
  test: {
    projects: [
      // A file shares the two cores with emulator files: vitest's 5 s default is no deadline for it.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 60_000 } },
      {
        extends: true,
        test: {
          name: 'emulator',
          include: ['test/emulator/**/*.test.ts'],
          exclude: STACK_FILES,
          ...EMULATOR,
        },
      },
      {
        extends: true,
        test: { name: 'emulator-stack', include: STACK_FILES, fileParallelism: false, ...EMULATOR },
      },
      { extends: true, test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000 } },
    ],
    setupFiles: ['test/setup-env.ts'],
    // Vitest's default is one worker fewer than the CPUs: one on a 2-core CI machine, so every file
    // ran after the one before. Two keep both cores busy.
    maxWorkers: 2,
  },
});
