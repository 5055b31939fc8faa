// Names shared by the CDK app and the local runtime. No CDK import here: the CLI reads these on
// every command, and loading aws-cdk-lib costs seconds.
import { fileURLToPath } from 'node:url';

/** The repository root: entries, cdk.json and the lock file are found from here, whatever the cwd. */
export const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The stack's construct id; its template is `cdk.out/<STACK_ID>.template.json`. */
export const STACK_ID = 'TouchpointStack';

/** Metadata key on each CfnFunction naming its source entry (relative to the project root). */
export const ENTRY_METADATA_KEY = 'touchpoint:entry';
