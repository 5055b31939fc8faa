// A new secret, shown this once (the API keeps only what verifies it and never lists it): a warning,
// the secret in a read-only field, a copy button. The modal closes only by its button, so a stray
// click or Escape does not lose the secret before it was kept.
import { Alert, Button, CopyButton, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useFormat, useT } from '../../i18n';
import { messages } from './messages';
import type { SecretAnswer } from './schemas';

export function SecretModal({
  answer,
  rotatedNow,
  onClose,
}: {
  answer: SecretAnswer | undefined;
  rotatedNow: boolean;
  onClose: () => void;
}) {
  const t = useT(messages);
  const format = useFormat();
  return (
    <Modal
      opened={answer !== undefined}
      onClose={onClose}
      title={answer ? t('secretTitle', { id: answer.id }) : ''}
      closeOnClickOutside={false}
      closeOnEscape={false}
      withCloseButton={false}
      size="lg"
    >
      {answer && (
        <Stack>
          <Alert
            color="orange"
            variant="outline"
            title={t('secretTitle', { id: answer.id })}
            role="alert"
            styles={{ label: { color: 'var(--mantine-color-text)' } }}
          >
            {t('secretWarning')}
          </Alert>
          <Group align="flex-end" wrap="nowrap">
            <TextInput
              label={t('secretLabel')}
              value={answer.secret}
              readOnly
              onFocus={(e) => e.currentTarget.select()}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              style={{ flex: 1 }}
              data-testid="partner-secret"
            />
            <CopyButton value={answer.secret} timeout={2000}>
              {({ copied, copy }) => (
                <Button
                  onClick={copy}
                  color={copied ? 'teal' : undefined}
                  variant={copied ? 'filled' : 'light'}
                  data-testid="partner-secret-copy"
                >
                  {copied ? t('copied') : t('copy')}
                </Button>
              )}
            </CopyButton>
          </Group>
          {answer.previousValidUntil !== undefined && (
            <Text size="sm">
              {rotatedNow
                ? t('previousStopped')
                : t('previousValid', { until: format.dateTime(answer.previousValidUntil) })}
            </Text>
          )}
          <Group justify="flex-end">
            <Button onClick={onClose} data-testid="partner-secret-done">
              {t('done')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
