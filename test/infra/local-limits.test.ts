// One body limit for local and cloud: the local API reads the value infra sets on the API function
// from the synthesized template, so a setting changed for the cloud changes the local edge too.
import { describe, expect, it } from 'vitest';
import { functionEnvironment, parseTemplate } from '../../local/cfn-template.js';
import { DEFAULT_MAX_BODY_BYTES, ENV, maxBodyBytes } from '../../shared/config/env.js';
import { SYNTH_TIMEOUT_MS, synthTemplate, TEST_CONTEXT } from './synth-helper.js';

const apiLimit = (context: Record<string, unknown>): number =>
  maxBodyBytes.parse(
    functionEnvironment(parseTemplate(synthTemplate(context).template.toJSON()), 'api')[ENV.maxBodyBytes],
  );

describe('the body limit the local API reads from the template', () => {
  it(
    'is the default unless the api settings change it, then it is theirs',
    () => {
      expect(apiLimit(TEST_CONTEXT)).toBe(DEFAULT_MAX_BODY_BYTES);
      expect(apiLimit({ ...TEST_CONTEXT, api: JSON.stringify({ maxBodyBytes: 100_000 }) })).toBe(100_000);
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'names the role it cannot find',
    () => {
      const template = parseTemplate(synthTemplate().template.toJSON());
      expect(() => functionEnvironment(template, 'no-such-function')).toThrow(
        /functions\/no-such-function\.ts/,
      );
    },
    SYNTH_TIMEOUT_MS,
  );
});
