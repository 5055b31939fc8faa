// Rotate and revoke cut a partner's webhooks off (revoke at once; rotate with `now` at once too):
// the admin confirms by typing the partner's id. The API's refusal shows in the modal.
import { Button, Checkbox, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { messages } from './messages';

export type Confirming = { action: 'rotate' | 'revoke'; id: string } | undefined;

export function ConfirmModal({
  confirming,
  onCancel,
  onConfirm,
}: {
  confirming: Confirming;
  onCancel: () => void;
  /** `now`: rotate only, the previous secret stops at once. Rejects with the API's error. */
  onConfirm: (c: NonNullable<Confirming>, now: boolean) => Promise<void>;
}) {
  const t = useT(messages);
  const [typed, setTyped] = useState('');
  const [now, setNow] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const close = () => {
    setTyped('');
    setNow(false);
    setError(undefined);
    onCancel();
  };
  if (!confirming) return null;
  const { action, id } = confirming;
  const submit = () => {
    setBusy(true);
    setError(undefined);
    onConfirm(confirming, action === 'rotate' && now).then(
      () => {
        setBusy(false);
        setTyped('');
        setNow(false);
      },
      (e: unknown) => {
        setBusy(false);
        setError(e);
      },
    );
  };
  return (
    <Modal
      opened
      onClose={close}
      title={t(action === 'rotate' ? 'rotateTitle' : 'revokeTitle', { id })}
      closeButtonProps={{ 'aria-label': t('cancel') }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (typed === id) submit();
        }}
      >
        <Stack>
          <Text size="sm">{t(action === 'rotate' ? 'rotateText' : 'revokeText')}</Text>
          {action === 'rotate' && (
            <Checkbox
              label={t('rotateNow')}
              checked={now}
              onChange={(e) => setNow(e.currentTarget.checked)}
              data-testid="rotate-now"
            />
          )}
          <TextInput
            label={t('typeId', { id })}
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            autoComplete="off"
            data-autofocus
            data-testid="confirm-id"
          />
          <ProblemAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('cancel')}
            </Button>
            <Button
              type="submit"
              color={action === 'revoke' || now ? 'red.9' : undefined}
              disabled={typed !== id}
              loading={busy}
              data-testid="confirm-action"
            >
              {t(action === 'rotate' ? 'confirmRotate' : 'confirmRevoke')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
