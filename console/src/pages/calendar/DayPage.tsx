// One day of the calendar (#/calendar/:date): its groups (campaign, step, tier, channel) with counts
// and cost and its suppressions by reason (GET /calendar?from=D&days=1), the touches themselves from
// the dry run (GET /plan?date=D, a page at a time), each customer linking to #/customers/:id, and
// "Run this day now" for editors (RunDay.tsx).
import { Anchor, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../../auth';
import { ProblemAlert } from '../../components/ProblemAlert';
import { RoleGate } from '../../components/RoleGate';
import { useLoad } from '../../components/useLoad';
import { useFormat, useT } from '../../i18n';
import { DayTouches } from './DayTouches';
import { useLabel } from './labels';
import { messages } from './messages';
import { RunDay } from './RunDay';
import { ScrollTable } from './ScrollTable';
import { calendarSchema } from './schemas';

export function CalendarDayPage({ date }: { date: string }) {
  const t = useT(messages);
  const fmt = useFormat();
  const label = useLabel();
  const api = useApi();
  const day = useLoad(
    () => api.get(`/calendar?${new URLSearchParams({ from: date, days: '1' })}`, calendarSchema),
    [api, date],
  );
  const [round, setRound] = useState(0);
  const d = day.data?.days[0];
  const validDate = /^\d{4}-\d{2}-\d{2}$/.test(date);
  return (
    <Stack gap="lg">
      <Anchor c="blue.8" href="#/calendar" size="sm">
        ← {t('back')}
      </Anchor>
      <Title order={2}>{t('dayTitle', { date: validDate ? fmt.date(date) : date })}</Title>
      <ProblemAlert error={day.error} />
      {day.loading && !d && <Loader size="sm" role="status" aria-label={t('loading')} />}
      {d && (
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Text>
            {t('touches')}: <b data-testid="day-touch-count">{fmt.number(d.touches)}</b>
          </Text>
          <Text>
            {t('suppressed')}: <b data-testid="day-suppressed-count">{fmt.number(d.suppressed)}</b>
          </Text>
          <Text>
            {t('cost')}:{' '}
            <b data-testid="day-cost">{fmt.money(d.estimatedCost.amount, d.estimatedCost.currency)}</b>
          </Text>
        </SimpleGrid>
      )}
      <RoleGate needs="editor">
        <RunDay
          date={date}
          onFinished={() => {
            day.reload();
            setRound((n) => n + 1);
          }}
        />
      </RoleGate>
      {d && (
        <Paper withBorder p="md">
          <Title order={3} size="h4" mb="sm">
            {t('groups')}
          </Title>
          {d.groups.length === 0 ? (
            <Text>{t('noGroups')}</Text>
          ) : (
            <ScrollTable minWidth={640} label={t('groups')}>
              <Table striped data-testid="day-groups">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('campaign')}</Table.Th>
                    <Table.Th scope="col">{t('step')}</Table.Th>
                    <Table.Th scope="col">{t('tier')}</Table.Th>
                    <Table.Th scope="col">{t('channel')}</Table.Th>
                    <Table.Th scope="col">{t('touches')}</Table.Th>
                    <Table.Th scope="col">{t('suppressed')}</Table.Th>
                    <Table.Th scope="col">{t('cost')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.groups.map((g) => (
                    <Table.Tr key={`${g.campaignId}/${g.stepId}/${g.tier}/${g.channel}`}>
                      <Table.Td>
                        <Anchor c="blue.8" size="sm" href={`#/campaigns/${encodeURIComponent(g.campaignId)}`}>
                          {g.campaignId}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{g.stepId}</Table.Td>
                      <Table.Td>{g.tier}</Table.Td>
                      <Table.Td>{label(g.channel)}</Table.Td>
                      <Table.Td>{fmt.number(g.touches)}</Table.Td>
                      <Table.Td>{fmt.number(g.suppressed)}</Table.Td>
                      <Table.Td>{fmt.money(g.estimatedCost.amount, g.estimatedCost.currency)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )}
          <Title order={3} size="h4" mt="lg" mb="sm">
            {t('byReason')}
          </Title>
          {d.suppressions.length === 0 ? (
            <Text>{t('noSuppressions')}</Text>
          ) : (
            <Table data-testid="day-suppressions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('reason')}</Table.Th>
                  <Table.Th scope="col">{t('count')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.suppressions.map((s) => (
                  <Table.Tr key={s.reason}>
                    <Table.Td>
                      {label(s.reason)}{' '}
                      <Text span size="xs" c="gray.7">
                        ({s.reason})
                      </Text>
                    </Table.Td>
                    <Table.Td>{fmt.number(s.count)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      )}
      {validDate && <DayTouches key={round} date={date} />}
    </Stack>
  );
}
