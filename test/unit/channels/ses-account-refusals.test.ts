// SES refusing for the whole account (its own reputation review, or a suspension) is recorded as a
// clear failed touch with the operator's next step, never a crash and never "maybe sent".
import {
  AccountSuspendedException,
  SESv2Client,
  SendEmailCommand,
  SendingPausedException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesEmailSender } from '../../../shared/channels/ses-email.js';

const ses = mockClient(SESv2Client);
const meta = { httpStatusCode: 400 };
const sender = new SesEmailSender({
  client: new SESv2Client({ region: 'eu-west-1' }),
  from: 'hello@example.com',
});
const email = {
  to: 'ana@example.com',
  subject: 's',
  text: 't',
  unsubscribeUrl: 'https://u.example/u/x',
  tags: {},
};

describe('SES account-level refusals', () => {
  beforeEach(() => ses.reset());

  it('settles a send SES refuses because it paused the account as failed, saying SES paused sending and what to do', async () => {
    ses
      .on(SendEmailCommand)
      .rejects(new SendingPausedException({ message: 'Sending is paused', $metadata: meta }));
    const result = await sender.send(email);
    expect(result).toMatchObject({ ok: false, retryable: false });
    expect(result.ok || result.maybeSent).toBeFalsy();
    expect(result.ok ? '' : result.error).toMatch(
      /^SES has paused sending .* rerun the day \(SendingPausedException \(400\): Sending is paused\)$/,
    );
  });

  it('settles a send refused for a suspended account as failed, saying so', async () => {
    ses
      .on(SendEmailCommand)
      .rejects(new AccountSuspendedException({ message: 'suspended', $metadata: meta }));
    const result = await sender.send(email);
    expect(result.ok ? '' : result.error).toMatch(/^SES has suspended this account/);
  });
});
