// The REAL Store construct synthesized alone. Loading aws-cdk-lib takes seconds, so the global
// setup does this once and provides the template to every test file.
import type { CfnTemplate } from '../../../local/assembly-tables.js';
import { cfnTemplateSchema } from '../../../local/assembly-tables.js';

export async function synthStoreTemplate(): Promise<CfnTemplate> {
  const [{ App, Stack }, { Template }, { Store }] = await Promise.all([
    import('aws-cdk-lib'),
    import('aws-cdk-lib/assertions'),
    import('../../../infra/constructs/store.js'),
  ]);
  const app = new App();
  const stack = new Stack(app, 'T');
  new Store(stack, 'Store');
  return cfnTemplateSchema.parse(Template.fromStack(stack).toJSON());
}
