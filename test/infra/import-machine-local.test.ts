// The chunked import's state machine, read from the synthesized template and run by the vendored
// aws-local-stepfunctions (as local/run-executor.ts runs the run machine), every Task the importer's
// step handler over in-memory stores and S3: the definition does what the use cases expect of it.
import { Template } from 'aws-cdk-lib/assertions';
import { StateMachine } from 'aws-local-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStepHandler } from '../../functions/commons/import-steps.js';
import { stateMachineFromTemplate } from '../../local/assembly-asl.js';
import { CfnTemplateJson } from '../../local/cfn-template.js';
import type { ImportJob } from '../../shared/ports/import-jobs.js';
import {
  customerLine,
  MemoryImportObjects,
  TEST_IMPORT_BUCKET,
} from '../support/fakes/memory-import-objects.js';
import { type MemoryStores, memoryStores } from '../support/fakes/memory-stores.js';
import { buildApp, SYNTH_TIMEOUT_MS } from './synth-helper.js';

let machine: ReturnType<typeof stateMachineFromTemplate>;
beforeAll(() => {
  const { stack } = buildApp();
  machine = stateMachineFromTemplate(
    CfnTemplateJson.parse(Template.fromStack(stack).toJSON()),
    'UploadsImportMachine',
  );
}, SYNTH_TIMEOUT_MS);

const BUCKET = TEST_IMPORT_BUCKET;
const customer = customerLine;

let jobNo = 0;
async function uploaded(stores: MemoryStores, objects: MemoryImportObjects, text: string) {
  const id = `01JE0000000000000000000${String(jobNo++).padStart(3, '0')}`;
  const job: ImportJob = {
    id,
    kind: 'customers',
    format: 'ndjson',
    status: 'pending',
    createdAt: '2026-11-26T08:00:00.000Z',
    updatedAt: '2026-11-26T08:00:00.000Z',
    uploadExpiresAt: '2026-11-26T08:15:00.000Z',
  };
  await stores.importJobs.createImportJob(job);
  const key = `imports/${id}/customers.ndjson`;
  objects.put(BUCKET, key, text);
  return { importId: id, bucket: BUCKET, key };
}

/** Runs the template's import machine; every Task is the importer's step handler. */
async function execute(
  stores: MemoryStores,
  objects: MemoryImportObjects,
  input: { importId: string; bucket: string; key: string },
  chunkBytes: number,
) {
  const step = createStepHandler({
    store: stores,
    objects,
    clock: { now: () => new Date('2026-11-26T08:00:00Z') },
    chunkBytes,
  });
  const handlers = Object.fromEntries(
    machine.taskStates.map((t) => [
      t.stateName,
      async (event: unknown) => JSON.parse(JSON.stringify((await step(event)) ?? null)),
    ]),
  );
  const sm = new StateMachine(machine.definition, {
    validationOptions: { checkPaths: true, checkArn: false },
  });
  const execution = sm.run(input, {
    overrides: {
      taskResourceLocalHandlers: handlers,
      retryIntervalOverrides: Object.fromEntries(machine.taskStates.map((t) => [t.stateName, 0])),
    },
  });
  let transitions = 0;
  const counting = (async () => {
    for await (const event of execution.eventLogs) if (event.type.endsWith('StateEntered')) transitions++;
  })();
  const output: unknown = await execution.result;
  await counting;
  return { output, transitions };
}

describe('the import machine of the template, run locally', () => {
  it('imports a valid file of several chunks, every row once, and the job succeeds', async () => {
    const stores = memoryStores();
    const objects = new MemoryImportObjects();
    const text = `${Array.from({ length: 60 }, (_, i) => customer(i + 1)).join('\n')}\n`;
    const target = await uploaded(stores, objects, text);
    const { transitions } = await execute(stores, objects, target, 1000);
    expect(stores.documents.customers.size).toBe(60);
    expect(await stores.importJobs.getImportJob(target.importId)).toMatchObject({
      status: 'succeeded',
      count: 60,
      written: 60,
    });
    // States entered (what Standard bills): 9 + a validate and a write per chunk + one per id
    // partition, whatever the rows; a million rows in 20 chunks is 65 (docs/imports-at-scale.md).
    const chunks = [...objects.work.keys()].filter((k) => k.includes('/problems/')).length;
    expect(chunks).toBeGreaterThanOrEqual(5);
    expect(transitions).toBe(9 + 2 * chunks + 16);
  }, 60_000);

  it('refuses a file with a bad line in its last chunk: the job lists it, nothing is written, the execution succeeds', async () => {
    const stores = memoryStores();
    const objects = new MemoryImportObjects();
    const rows = Array.from({ length: 30 }, (_, i) => customer(i + 1));
    rows[28] = customer(29, { consent: 'yes' });
    const target = await uploaded(stores, objects, `${rows.join('\n')}\n`);
    await execute(stores, objects, target, 1000);
    expect(stores.documents.customers.size).toBe(0);
    const job = await stores.importJobs.getImportJob(target.importId);
    expect(job).toMatchObject({ status: 'failed', errorCount: 1 });
    expect(job?.errors?.[0]?.line).toBe(29);
  }, 60_000);

  it('marks the job failed when a step keeps failing, and the execution fails', async () => {
    const stores = memoryStores();
    const objects = new MemoryImportObjects();
    const target = await uploaded(stores, objects, `${customer(1)}\n${customer(2)}\n`);
    // The work files cannot be written: every validation fails, past its retries.
    objects.putWork = async () => {
      throw new Error('SlowDown');
    };
    await expect(execute(stores, objects, target, 1000)).rejects.toThrow();
    const job = await stores.importJobs.getImportJob(target.importId);
    expect(job?.status).toBe('failed');
    expect(job?.message).toMatch(/SlowDown.*nothing was stored/);
    expect(stores.documents.customers.size).toBe(0);
  }, 60_000);
});
