// Add a partner (admin): a modal with the id, checked live against the API's rule; the API's refusal
// (an id already taken: 409; a bad id: 400 with the field) shows at the field.
import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ApiError, errorPath } from '../../api';
import { useApi } from '../../auth';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { messages } from './messages';
import { PARTNER_ID, type SecretAnswer, secretAnswerSchema } from './schemas';

/** The API's words for the id field: an error at `id`, or a conflict's detail; else none. */
function fieldError(e: unknown): string | undefined {
  if (!(e instanceof ApiError)) return undefined;
  const at = e.problem.errors?.find((x) => errorPath(x.path) === 'id');
  if (at) return at.message;
  return e.status === 409 ? (e.problem.detail ?? e.problem.title) : undefined;
}

export function AddPartner({ onAdded }: { onAdded: (a: SecretAnswer) => void }) {
  const t = useT(messages);
  const api = useApi();
  const [opened, setOpened] = useState(false);
  const [id, setId] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const invalid = touched && id.length > 0 && !PARTNER_ID.test(id);
  const close = () => {
    setOpened(false);
    setId('');
    setTouched(false);
    setError(undefined);
  };
  const atField = fieldError(error);
  return (
    <>
      <Button onClick={() => setOpened(true)} data-testid="add-partner">
        {t('add')}
      </Button>
      <Modal
        opened={opened}
        onClose={close}
        title={t('addTitle')}
        closeButtonProps={{ 'aria-label': t('cancel') }}
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setTouched(true);
            if (!PARTNER_ID.test(id)) return;
            setBusy(true);
            api.send('POST', '/partners', { id }, secretAnswerSchema).then(
              (answer) => {
                setBusy(false);
                close();
                onAdded(answer);
              },
              (err: unknown) => {
                setBusy(false);
                setError(err);
              },
            );
          }}
        >
          <Stack>
            <TextInput
              label={t('id')}
              description={t('idHelp')}
              value={id}
              onChange={(e) => {
                setId(e.currentTarget.value);
                setError(undefined);
              }}
              onBlur={() => setTouched(true)}
              error={invalid ? t('idInvalid') : atField}
              required
              autoComplete="off"
              data-autofocus
              data-testid="partner-id-input"
            />
            {error !== undefined && atField === undefined && <ProblemAlert error={error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('cancel')}
              </Button>
              <Button type="submit" loading={busy} data-testid="add-partner-submit">
                {t('add')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
