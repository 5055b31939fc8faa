// Audit log (#/audit): GET /audit, 50 entries a page, newest first; "load more" asks for the next
// (older) page with the cursor the last one gave, and appends it. Outcome is a word, not a colour.
import { Badge, Button, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../auth';
import { ProblemAlert } from '../components/ProblemAlert';
import { useFormat, useT } from '../i18n';
import { messages } from './audit/messages';
import { type AuditEntry, auditPageSchema, auditPath } from './audit/schemas';

const ROLE_KEYS = ['admin', 'editor', 'viewer'] as const;
const isRoleKey = (r: string): r is (typeof ROLE_KEYS)[number] => ROLE_KEYS.some((k) => k === r);

export function AuditPage() {
  const t = useT(messages);
  const f = useFormat();
  const api = useApi();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [started, setStarted] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>();
  // One page at a time: a second click while a page loads does nothing.
  const busy = useRef(false);

  const load = useCallback(
    async (from: string | undefined) => {
      if (busy.current) return;
      busy.current = true;
      setLoading(true);
      try {
        const page = await api.get(auditPath(from), auditPageSchema);
        setEntries((prev) => (from === undefined ? page.entries : [...prev, ...page.entries]));
        setCursor(page.cursor);
        setError(undefined);
      } catch (e) {
        setError(e);
      } finally {
        busy.current = false;
        setLoading(false);
        setStarted(true);
      }
    },
    [api],
  );

  useEffect(() => {
    void load(undefined);
  }, [load]);

  return (
    <Stack gap="lg">
      <Title order={2}>{t('title')}</Title>
      <Text>{t('intro')}</Text>
      <ProblemAlert error={error} />
      {!started && <Loader size="sm" role="status" aria-label={t('loading')} />}
      {started && entries.length === 0 && !error && <Text>{t('empty')}</Text>}
      {entries.length > 0 && (
        <Table.ScrollContainer minWidth={760} type="native" tabIndex={0}>
          <Table striped captionSide="top" data-testid="audit">
            <Table.Caption c="gray.7" ta="left">
              {t('caption')}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('when')}</Table.Th>
                <Table.Th>{t('who')}</Table.Th>
                <Table.Th>{t('what')}</Table.Th>
                <Table.Th>{t('outcome')}</Table.Th>
                <Table.Th>{t('status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((e) => (
                <Table.Tr
                  key={`${e.at} ${e.method} ${e.path} ${e.actor.subject}`}
                  data-testid="audit-row"
                  data-outcome={e.outcome}
                >
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <time dateTime={e.at}>{f.dateTime(e.at)}</time>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {e.actor.name}
                    </Text>
                    <Text size="xs" c="gray.7">
                      {isRoleKey(e.actor.role) ? t(e.actor.role) : e.actor.role} ·{' '}
                      {t('via', { via: e.actor.via })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <code>
                      {e.method} {e.path}
                    </code>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={e.outcome === 'ok' ? 'teal.9' : 'red.9'} variant="filled">
                      {e.outcome === 'ok' ? t('ok') : e.outcome === 'denied' ? t('denied') : e.outcome}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{e.status}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {cursor !== undefined ? (
        <Button
          variant="default"
          onClick={() => void load(cursor)}
          loading={loading}
          style={{ alignSelf: 'flex-start' }}
          data-testid="audit-more"
        >
          {t('more')}
        </Button>
      ) : (
        started && entries.length > 0 && <Text size="sm">{t('end')}</Text>
      )}
    </Stack>
  );
}
