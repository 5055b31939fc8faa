// Export (editors and admins: GET /customers/{id}/export, saved as a JSON file) and erase (admins
// only: DELETE /customers/{id}, after typing the customer id in a confirmation dialog). The API
// enforces both roles; RoleGate only hides what cannot work.
import { Alert, Button, Group, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { ApiError, problemSchema } from '../../api';
import { atLeast, useApi, useRole } from '../../auth';
import { ProblemAlert } from '../../components/ProblemAlert';
import { RoleGate } from '../../components/RoleGate';
import { useT } from '../../i18n';
import { messages } from './messages';
import { type Erasure, erasureSchema } from './schemas';

/** A download file name from an id (ids may hold characters a file name cannot). */
const fileName = (id: string): string => `customer-${id.replace(/[^\w.-]+/g, '_')}.json`;

export function CustomerActions({ id, onErased }: { id: string; onErased(e: Erasure): void }) {
  const t = useT(messages);
  const api = useApi();
  const role = useRole();
  const [opened, { open, close }] = useDisclosure(false);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<'export' | 'erase'>();
  const [done, setDone] = useState<string>();
  if (!atLeast(role, 'editor')) return null;

  const download = async () => {
    setBusy('export');
    setError(undefined);
    setDone(undefined);
    try {
      const res = await api.raw(`/customers/${encodeURIComponent(id)}/export`);
      if (!res.ok) {
        const p = problemSchema.safeParse(await res.json().catch(() => ({})));
        throw new ApiError(res.status, p.success ? p.data : { title: `HTTP ${res.status}` });
      }
      const blob = new Blob([await res.text()], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName(id);
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 0);
      setDone(fileName(id));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(undefined);
    }
  };

  const erase = async () => {
    setBusy('erase');
    setError(undefined);
    try {
      const report = await api.send(
        'DELETE',
        `/customers/${encodeURIComponent(id)}`,
        undefined,
        erasureSchema,
      );
      close();
      onErased(report);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Paper withBorder p="md">
      <Title order={3} size="h4" mb="sm">
        {t('actions')}
      </Title>
      <Stack gap="sm">
        <Group>
          <Button
            variant="light"
            onClick={() => void download()}
            loading={busy === 'export'}
            data-testid="export"
          >
            {t('export')}
          </Button>
          <RoleGate needs="admin">
            <Button
              color="red.9"
              variant="outline"
              onClick={() => {
                setTyped('');
                open();
              }}
              data-testid="erase"
            >
              {t('erase')}
            </Button>
          </RoleGate>
        </Group>
        {done && (
          <Alert color="green" data-testid="exported">
            {t('exported', { file: done })}
          </Alert>
        )}
        {!opened && <ProblemAlert error={error} />}
      </Stack>
      <Modal opened={opened} onClose={close} title={t('eraseTitle', { id })}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (typed === id) void erase();
          }}
        >
          <Stack>
            <Text size="sm">{t('eraseBody')}</Text>
            <TextInput
              label={t('eraseLabel')}
              value={typed}
              onChange={(e) => setTyped(e.currentTarget.value)}
              autoComplete="off"
              data-testid="erase-input"
              data-autofocus
            />
            <ProblemAlert error={error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('cancel')}
              </Button>
              <Button
                type="submit"
                color="red.9"
                disabled={typed !== id}
                loading={busy === 'erase'}
                data-testid="erase-confirm"
              >
                {t('eraseConfirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Paper>
  );
}
