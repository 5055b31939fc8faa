// "Run this day now" (editors and admins; the API refuses a viewer anyway): after a confirmation,
// POST /runs { date } starts the state machine, then GET /runs/{id} is polled with backoff and a
// deadline (poll.ts) until it ends, and a finished run's summary is read from GET /run-results/{id}.
// Polling stops when the page unmounts.
import { Alert, Button, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../../auth';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useFormat, useT } from '../../i18n';
import { messages } from './messages';
import { pollUntil, RUN_POLL } from './poll';
import { type RunSummary, runResultSchema, runStartedSchema, runStatusSchema } from './schemas';

type RunState =
  | { phase: 'idle' }
  | { phase: 'starting' }
  | { phase: 'running'; id: string }
  | { phase: 'succeeded'; id: string; summary: RunSummary | undefined }
  | { phase: 'failed'; id: string; error: string }
  | { phase: 'unknown'; id: string }
  | { phase: 'timeout'; id: string }
  | { phase: 'error'; error: unknown; id?: string };

export function RunDay({ date, onFinished }: { date: string; onFinished?: () => void }) {
  const t = useT(messages);
  const fmt = useFormat();
  const api = useApi();
  const [opened, { open, close }] = useDisclosure(false);
  const [state, setState] = useState<RunState>({ phase: 'idle' });
  const stop = useRef<(() => void) | undefined>(undefined);
  useEffect(() => () => stop.current?.(), []);

  const start = async () => {
    close();
    stop.current?.();
    setState({ phase: 'starting' });
    let id: string;
    try {
      id = (await api.send('POST', '/runs', { date }, runStartedSchema)).executionId;
    } catch (error) {
      setState({ phase: 'error', error });
      return;
    }
    setState({ phase: 'running', id });
    const path = `/runs/${encodeURIComponent(id)}`;
    stop.current = pollUntil(
      () => api.get(path, runStatusSchema),
      (s) => s.status !== 'RUNNING',
      {
        update: () => {},
        finish: (s) => {
          if (s.status === 'FAILED') setState({ phase: 'failed', id, error: s.error ?? '' });
          else if (s.status === 'UNKNOWN') setState({ phase: 'unknown', id });
          else
            api
              .get(`/run-results/${encodeURIComponent(id)}?limit=1`, runResultSchema)
              .then(
                (r) => setState({ phase: 'succeeded', id, summary: r.summary }),
                () => setState({ phase: 'succeeded', id, summary: undefined }),
              )
              .finally(() => onFinished?.());
        },
        timeout: () => setState({ phase: 'timeout', id }),
        error: (error) => setState({ phase: 'error', error, id }),
      },
    );
  };

  const busy = state.phase === 'starting' || state.phase === 'running';
  return (
    <Stack gap="xs">
      <Group>
        <Button color="blue.8" onClick={open} loading={busy} data-testid="run-day">
          {t('run')}
        </Button>
      </Group>
      <Modal opened={opened} onClose={close} title={t('runTitle', { date: fmt.date(date) })}>
        <Stack>
          <Text>{t('runBody', { date: fmt.date(date) })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('cancel')}
            </Button>
            <Button color="red.9" onClick={() => void start()} data-testid="run-day-confirm">
              {t('runConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      {state.phase !== 'idle' && (
        <div data-testid="run-status" data-status={state.phase} aria-live="polite">
          <RunStatusText state={state} />
        </div>
      )}
    </Stack>
  );
}

function RunStatusText({ state }: { state: RunState }) {
  const t = useT(messages);
  const fmt = useFormat();
  switch (state.phase) {
    case 'idle':
      return null;
    case 'starting':
    case 'running':
      return (
        <Group gap="xs">
          <Loader size="xs" aria-hidden />
          <Text size="sm">
            {state.phase === 'starting' ? t('runStarting') : t('runRunning', { id: state.id })}
          </Text>
        </Group>
      );
    case 'succeeded': {
      const s = state.summary;
      return (
        <Alert color="green" title={t('runResult')}>
          {t('runSucceeded', {
            id: state.id,
            sent: s ? fmt.number(s.sent) : '?',
            suppressed: s ? fmt.number(s.suppressed) : '?',
            failed: s ? fmt.number(s.failed) : '?',
          })}
        </Alert>
      );
    }
    case 'failed':
      return (
        <Alert color="red" title={t('runResult')} role="alert">
          {t('runFailed', { id: state.id, error: state.error })}
        </Alert>
      );
    case 'unknown':
      return <Alert color="yellow">{t('runUnknown', { id: state.id })}</Alert>;
    case 'timeout':
      return (
        <Alert color="yellow">
          {t('runTimeout', { id: state.id, minutes: fmt.number(RUN_POLL.deadlineMs / 60_000) })}
        </Alert>
      );
    case 'error':
      return <ProblemAlert error={state.error} />;
  }
}
