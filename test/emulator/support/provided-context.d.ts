// What test/emulator/global-setup.ts provides to the emulator tier's tests (`inject(...)`).
import type { CfnTemplate } from '../../../local/assembly-tables.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local, in memory, shared by all emulator test files. */
    ddbEndpoint: string;
    /** The synthesized Store construct (one table), for ensureTables. */
    storeTemplate: CfnTemplate;
  }
}
