// One partner's recent activity (GET /partners/{id}/activity): the events it delivered and the
// deliveries refused, by hour and reason (a bad signature, a stale timestamp, a replay …).
import { Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useApi } from '../../auth';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { useFormat, useT } from '../../i18n';
import { messages } from './messages';
import { activitySchema } from './schemas';

/** An ISO instant, or an hour as "YYYY-MM-DDTHH" (UTC); anything else is shown as it came. */
const instant = (s: string): string | undefined => {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}$/.test(s) ? `${s}:00:00Z` : s;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
};

export function PartnerActivity({ id }: { id: string }) {
  const t = useT(messages);
  const format = useFormat();
  const when = (s: string) => {
    const iso = instant(s);
    return iso === undefined ? s : format.dateTime(iso);
  };
  const f = { ...format, dateTime: when };
  const api = useApi();
  const activity = useLoad(
    () => api.get(`/partners/${encodeURIComponent(id)}/activity`, activitySchema),
    [api, id],
  );
  return (
    <Stack gap="sm" data-testid="partner-activity" data-partner={id}>
      <Title order={3}>{t('activityTitle', { id })}</Title>
      <ProblemAlert error={activity.error} />
      {activity.loading && !activity.data && <Loader size="sm" role="status" aria-label={t('loading')} />}
      {activity.data && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
          <Stack gap="xs">
            <Title order={4}>{t('events')}</Title>
            {activity.data.events.length === 0 ? (
              <Text size="sm">{t('noEvents')}</Text>
            ) : (
              <Table.ScrollContainer minWidth={480} type="native" tabIndex={0}>
                <Table striped fz="sm" data-testid="partner-events">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('received')}</Table.Th>
                      <Table.Th>{t('type')}</Table.Th>
                      <Table.Th>{t('customer')}</Table.Th>
                      <Table.Th>{t('eventId')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {activity.data.events.map((e) => (
                      <Table.Tr key={e.id}>
                        <Table.Td>{f.dateTime(e.receivedAt)}</Table.Td>
                        <Table.Td>
                          <code>{e.type}</code>
                        </Table.Td>
                        <Table.Td>
                          {e.customerId === undefined ? (
                            '–'
                          ) : (
                            <a href={`#/customers/${encodeURIComponent(e.customerId)}`}>{e.customerId}</a>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <code>{e.id}</code>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Stack>
          <Stack gap="xs">
            <Title order={4}>{t('refusals')}</Title>
            {activity.data.refusals.length === 0 ? (
              <Text size="sm">{t('noRefusals')}</Text>
            ) : (
              <Table.ScrollContainer minWidth={360} type="native" tabIndex={0}>
                <Table striped fz="sm" data-testid="partner-refusals">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('hour')}</Table.Th>
                      <Table.Th>{t('reason')}</Table.Th>
                      <Table.Th ta="right">{t('count')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {[...activity.data.refusals].reverse().map((r) => (
                      <Table.Tr key={`${r.hour} ${r.reason}`}>
                        <Table.Td>{f.dateTime(r.hour)}</Table.Td>
                        <Table.Td>
                          <code>{r.reason}</code>
                        </Table.Td>
                        <Table.Td ta="right">{f.number(r.count)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Stack>
        </SimpleGrid>
      )}
    </Stack>
  );
}
