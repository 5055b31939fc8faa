// The 30 days two ways: a Monday-first month grid on wide screens, a table (one row a day) on narrow
// ones. Each day links to #/calendar/<date>; its figures are the filtered ones (grid.ts).
import { Anchor, Stack, Table, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useFormat, useLanguage, useT } from '../../i18n';
import { type CalendarFilter, dayFigures, type Figures, isoWeekday, monthWeeks } from './grid';
import { messages } from './messages';
import { ScrollTable } from './ScrollTable';
import type { CalendarDay } from './schemas';

const MONDAY = '2024-01-01';

function useDayNames() {
  const { language } = useLanguage();
  return useMemo(() => {
    const weekday = new Intl.DateTimeFormat(language, { weekday: 'short', timeZone: 'UTC' });
    const long = new Intl.DateTimeFormat(language, { weekday: 'long', timeZone: 'UTC' });
    const short = new Intl.DateTimeFormat(language, { month: 'short', day: 'numeric', timeZone: 'UTC' });
    const at = (d: string) => new Date(`${d}T00:00:00Z`);
    const mondayMs = at(MONDAY).getTime();
    return {
      weekdays: Array.from({ length: 7 }, (_, i) => {
        const d = new Date(mondayMs + i * 86_400_000);
        return { short: weekday.format(d), long: long.format(d) };
      }),
      short: (d: string) => short.format(at(d)),
    };
  }, [language]);
}

function FigureLines({ f }: { f: Figures }) {
  const t = useT(messages);
  const fmt = useFormat();
  if (f.touches === 0 && f.suppressed === 0)
    return (
      <Text size="xs" c="gray.7">
        {t('nothing')}
      </Text>
    );
  return (
    <>
      <Text size="xs">{t('nTouches', { n: fmt.number(f.touches) })}</Text>
      {f.suppressed > 0 && (
        <Text size="xs" c="red.9">
          {t('nSuppressed', { n: fmt.number(f.suppressed) })}
        </Text>
      )}
      <Text size="xs" c="gray.7">
        {fmt.money(f.cost.amount, f.cost.currency)}
      </Text>
    </>
  );
}

interface ViewProps {
  days: readonly CalendarDay[];
  filter: CalendarFilter;
}

export function MonthGrid({ days, filter }: ViewProps) {
  const t = useT(messages);
  const names = useDayNames();
  const byDate = useMemo(() => new Map(days.map((d) => [d.date, d])), [days]);
  const weeks = monthWeeks(days.map((d) => d.date));
  return (
    <Table withColumnBorders withTableBorder layout="fixed" data-testid="calendar-grid">
      <Table.Caption c="gray.7">{t('days')}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          {names.weekdays.map((w) => (
            <Table.Th key={w.long} scope="col">
              <abbr title={w.long}>{w.short}</abbr>
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {weeks.map((week) => (
          <Table.Tr key={week.find((d) => d !== null) ?? ''}>
            {week.map((date, i) => {
              const day = date === null ? undefined : byDate.get(date);
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: a week's cells are its weekdays, fixed
                <Table.Td key={i} valign="top" p={6}>
                  {day && (
                    <Anchor
                      href={`#/calendar/${day.date}`}
                      underline="never"
                      c="inherit"
                      display="block"
                      data-testid={`calendar-day-${day.date}`}
                    >
                      <Stack gap={0}>
                        <Text size="sm" fw={700} c="blue.8">
                          {names.short(day.date)}
                        </Text>
                        <FigureLines f={dayFigures(day, filter)} />
                      </Stack>
                    </Anchor>
                  )}
                </Table.Td>
              );
            })}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function DayList({ days, filter }: ViewProps) {
  const t = useT(messages);
  const fmt = useFormat();
  const names = useDayNames();
  return (
    <ScrollTable minWidth={340} label={t('days')}>
      <Table striped data-testid="calendar-list">
        <Table.Caption c="gray.7">{t('days')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('date')}</Table.Th>
            <Table.Th scope="col">{t('touches')}</Table.Th>
            <Table.Th scope="col">{t('suppressed')}</Table.Th>
            <Table.Th scope="col">{t('cost')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {days.map((day) => {
            const f = dayFigures(day, filter);
            const weekday = names.weekdays[isoWeekday(day.date)];
            return (
              <Table.Tr key={day.date}>
                <Table.Th scope="row" fw={400}>
                  <Anchor
                    c="blue.8"
                    size="sm"
                    href={`#/calendar/${day.date}`}
                    data-testid={`calendar-day-${day.date}`}
                  >
                    {weekday?.short} {names.short(day.date)}
                  </Anchor>
                </Table.Th>
                <Table.Td>{fmt.number(f.touches)}</Table.Td>
                <Table.Td>{fmt.number(f.suppressed)}</Table.Td>
                <Table.Td>{fmt.money(f.cost.amount, f.cost.currency)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
