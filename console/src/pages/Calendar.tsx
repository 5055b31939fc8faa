// What goes out (#/calendar): the dry run of the next 30 days (GET /calendar), filtered by campaign,
// tier and channel, with totals; a month grid on wide screens, a list on narrow ones. A day opens
// #/calendar/:date (calendar/DayPage.tsx). Writes nothing.
import {
  Group,
  List,
  Loader,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { ProblemAlert } from '../components/ProblemAlert';
import { useFormat, useT } from '../i18n';
import { DayList, MonthGrid } from './calendar/CalendarViews';
import { type CalendarFilter, filterOptions, localDate, totalFigures } from './calendar/grid';
import { useLabel } from './calendar/labels';
import { messages } from './calendar/messages';
import { useCalendar } from './calendar/useCalendar';

export { CalendarDayPage } from './calendar/DayPage';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function FilterSelect({
  label,
  value,
  options,
  onChange,
  testId,
  render = (v) => v,
}: {
  label: string;
  value: string | undefined;
  options: readonly string[];
  onChange(v: string | undefined): void;
  testId: string;
  render?: (v: string) => string;
}) {
  const t = useT(messages);
  return (
    <NativeSelect
      label={label}
      value={value ?? ''}
      data-testid={testId}
      data={[{ value: '', label: t('all') }, ...options.map((o) => ({ value: o, label: render(o) }))]}
      onChange={(e) => onChange(e.currentTarget.value || undefined)}
    />
  );
}

export function CalendarPage() {
  const t = useT(messages);
  const fmt = useFormat();
  const label = useLabel();
  const [from, setFrom] = useState(() => localDate(new Date()));
  const [filter, setFilter] = useState<CalendarFilter>({});
  const wide = useMediaQuery('(min-width: 48em)');
  const calendar = useCalendar(from);
  const options = filterOptions(calendar.days);
  const totals = totalFigures(calendar.days, filter);
  const reasons = new Map<string, number>();
  for (const d of calendar.days)
    for (const s of d.suppressions) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + s.count);
  return (
    <Stack gap="lg">
      <Title order={2}>{t('title')}</Title>
      <Text>{t('intro')}</Text>
      <SimpleGrid cols={{ base: 1, sm: 4 }}>
        <TextInput
          type="date"
          label={t('from')}
          value={from}
          data-testid="calendar-from"
          onChange={(e) => {
            const v = e.currentTarget.value;
            // A date field passes through years like 0002 while one is typed: wait for a plausible one.
            if (DATE.test(v) && v >= '2000') setFrom(v);
          }}
        />
        <FilterSelect
          label={t('campaign')}
          value={filter.campaign}
          options={options.campaigns}
          testId="calendar-filter-campaign"
          onChange={(campaign) => setFilter((f) => ({ ...f, campaign }))}
        />
        <FilterSelect
          label={t('tier')}
          value={filter.tier}
          options={options.tiers}
          testId="calendar-filter-tier"
          onChange={(tier) => setFilter((f) => ({ ...f, tier }))}
        />
        <FilterSelect
          label={t('channel')}
          value={filter.channel}
          options={options.channels}
          render={label}
          testId="calendar-filter-channel"
          onChange={(channel) => setFilter((f) => ({ ...f, channel }))}
        />
      </SimpleGrid>
      <ProblemAlert error={calendar.error} />
      {calendar.days.length > 0 && (
        <Paper withBorder p="md" data-testid="calendar-totals">
          <Title order={3} size="h5" mb="xs">
            {t('totals', { days: fmt.number(calendar.days.length) })}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Text>
              {t('touches')}: <b data-testid="total-touches">{fmt.number(totals.touches)}</b>
            </Text>
            <Text>
              {t('suppressed')}: <b data-testid="total-suppressed">{fmt.number(totals.suppressed)}</b>
            </Text>
            <Text>
              {t('cost')}:{' '}
              <b data-testid="total-cost">{fmt.money(totals.cost.amount, totals.cost.currency)}</b>
            </Text>
          </SimpleGrid>
          {!totals.infraIncluded && (
            <Text size="sm" c="gray.7" mt="xs">
              {t('filteredCost')}
            </Text>
          )}
          {totals.infraIncluded && reasons.size > 0 && (
            <>
              <Text size="sm" mt="sm" fw={700}>
                {t('byReason')}
              </Text>
              <List size="sm">
                {[...reasons]
                  .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
                  .map(([reason, count]) => (
                    <List.Item key={reason}>
                      {label(reason)} ({reason}): {fmt.number(count)}
                    </List.Item>
                  ))}
              </List>
            </>
          )}
        </Paper>
      )}
      {calendar.loading && (
        <Group gap="xs">
          <Loader size="sm" role="status" aria-label={t('loading')} />
          {calendar.pending && (
            <Text size="sm">{t('loadingMore', { date: fmt.date(calendar.pending) })}</Text>
          )}
        </Group>
      )}
      {!calendar.loading && !calendar.error && calendar.days.length === 0 && <Text>{t('noDays')}</Text>}
      {calendar.days.length > 0 &&
        (wide ? (
          <MonthGrid days={calendar.days} filter={filter} />
        ) : (
          <DayList days={calendar.days} filter={filter} />
        ))}
    </Stack>
  );
}
