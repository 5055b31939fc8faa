// The chunked import's steps (infra/constructs/uploads.ts, ImportMachine) as the importer function
// runs them: the state machine invokes the importer with `{ step, … }`; each step is one use case.
import {
  type ChunkedImportDeps,
  checkDuplicates,
  decideImport,
  failImport,
  finishImport,
  planImport,
  validateChunk,
  writeChunk,
} from '../../shared/usecases/imports/chunked-import.js';
import { importStepSchema } from '../../shared/usecases/imports/chunked-schemas.js';

/** True for the state machine's input (it always names a step); S3 notifications never do. */
export const isImportStep = (event: unknown): boolean =>
  typeof event === 'object' && event !== null && 'step' in event;

export const createStepHandler = (deps: ChunkedImportDeps) => async (event: unknown) => {
  const input = importStepSchema.parse(event);
  switch (input.step) {
    case 'plan':
      return planImport(deps, input);
    case 'validate':
      return validateChunk(deps, input);
    case 'duplicates':
      return checkDuplicates(deps, input);
    case 'decide':
      return decideImport(deps, input);
    case 'write':
      return writeChunk(deps, input);
    case 'finish':
      await finishImport(deps, input);
      return { finished: true };
    case 'fail':
      await failImport(deps, input);
      return { failed: true };
  }
};
