// Conversions over time, treated vs holdout: an inline SVG line chart (no chart library: two
// polylines and two axes are less code than a dependency) and the same numbers in a table. The two
// lines differ by dash and by label, not by colour alone; the SVG has a <title> and <desc>.
import { Group, Stack, Table, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { useT } from '../../i18n';
import { useResultFormat } from './format';
import { messages } from './messages';
import type { DayCounts } from './schemas';
import { type ChartBox, cumulativeSeries, linePoints, rateAxisMax } from './series';

const BOX: ChartBox = { width: 640, height: 240, left: 48, right: 16, top: 12, bottom: 36 };
const TREATED = 'var(--mantine-color-blue-7)';
const HOLDOUT = 'var(--mantine-color-gray-7)';

export function ConversionsChart({ campaignId, days }: { campaignId: string; days: readonly DayCounts[] }) {
  const t = useT(messages);
  const f = useResultFormat();
  const id = useId();
  const series = cumulativeSeries(days);
  const last = series[series.length - 1];
  const yMax = rateAxisMax(series);
  const plotBottom = BOX.height - BOX.bottom;
  const yOf = (v: number) => BOX.top + (plotBottom - BOX.top) * (1 - v / yMax);
  const ticks = [0, yMax / 2, yMax];
  const rate = (v: number | null) => (v === null ? '–' : f.percent(v));
  return (
    <Stack gap="xs" data-testid="conversions-chart">
      <Title order={4}>{t('overTime')}</Title>
      <Text size="sm" c="gray.7">
        {t('overTimeHelp')}
      </Text>
      {series.length === 0 || !last ? (
        <Text>{t('noDays')}</Text>
      ) : (
        <>
          <svg
            role="img"
            aria-labelledby={`${id}-title ${id}-desc`}
            viewBox={`0 0 ${BOX.width} ${BOX.height}`}
            width="100%"
            style={{ maxWidth: BOX.width, height: 'auto' }}
          >
            <title id={`${id}-title`}>{t('chartTitle', { id: campaignId })}</title>
            <desc id={`${id}-desc`}>
              {t('chartDesc', {
                day: f.date(last.day),
                treated: rate(last.treatedRate),
                holdout: rate(last.holdoutRate),
              })}
            </desc>
            {ticks.map((v) => (
              <g key={v}>
                <line
                  x1={BOX.left}
                  x2={BOX.width - BOX.right}
                  y1={yOf(v)}
                  y2={yOf(v)}
                  stroke="var(--mantine-color-gray-3)"
                />
                <text x={BOX.left - 6} y={yOf(v) + 4} textAnchor="end" fontSize={13} fill="currentColor">
                  {f.percent(v)}
                </text>
              </g>
            ))}
            <line
              x1={BOX.left}
              x2={BOX.left}
              y1={BOX.top}
              y2={plotBottom}
              stroke="var(--mantine-color-gray-6)"
            />
            <text x={BOX.left} y={BOX.height - 12} fontSize={13} fill="currentColor">
              {f.date(series[0]?.day ?? last.day)}
            </text>
            <text
              x={BOX.width - BOX.right}
              y={BOX.height - 12}
              fontSize={13}
              textAnchor="end"
              fill="currentColor"
            >
              {f.date(last.day)}
            </text>
            <polyline
              fill="none"
              stroke={HOLDOUT}
              strokeWidth={2}
              strokeDasharray="6 4"
              points={linePoints(series, (p) => p.holdoutRate, BOX, yMax)}
              data-testid="conversions-holdout-line"
            />
            <polyline
              fill="none"
              stroke={TREATED}
              strokeWidth={2.5}
              points={linePoints(series, (p) => p.treatedRate, BOX, yMax)}
              data-testid="conversions-treated-line"
            />
          </svg>
          <Group gap="lg" aria-hidden>
            <Group gap={6}>
              <svg width="28" height="8" aria-hidden focusable="false">
                <line x1="0" x2="28" y1="4" y2="4" stroke={TREATED} strokeWidth={2.5} />
              </svg>
              <Text size="sm">{t('treated')}</Text>
            </Group>
            <Group gap={6}>
              <svg width="28" height="8" aria-hidden focusable="false">
                <line x1="0" x2="28" y1="4" y2="4" stroke={HOLDOUT} strokeWidth={2} strokeDasharray="6 4" />
              </svg>
              <Text size="sm">{t('holdout')}</Text>
            </Group>
          </Group>
          <details data-testid="conversions-numbers">
            <summary>{t('numbers')}</summary>
            <Table.ScrollContainer minWidth={560} type="native" tabIndex={0}>
              <Table striped verticalSpacing={2} fz="sm" data-testid="conversions-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th rowSpan={2}>{t('day')}</Table.Th>
                    <Table.Th colSpan={3}>{t('treated')}</Table.Th>
                    <Table.Th colSpan={3}>{t('holdout')}</Table.Th>
                  </Table.Tr>
                  <Table.Tr>
                    <Table.Th ta="right">{t('customers')}</Table.Th>
                    <Table.Th ta="right">{t('conversions')}</Table.Th>
                    <Table.Th ta="right">{t('rate')}</Table.Th>
                    <Table.Th ta="right">{t('customers')}</Table.Th>
                    <Table.Th ta="right">{t('conversions')}</Table.Th>
                    <Table.Th ta="right">{t('rate')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {series.map((p) => (
                    <Table.Tr key={p.day}>
                      <Table.Td>{f.date(p.day)}</Table.Td>
                      <Table.Td ta="right">{f.number(p.treatedCustomers)}</Table.Td>
                      <Table.Td ta="right">{f.number(p.treatedConversions)}</Table.Td>
                      <Table.Td ta="right">{rate(p.treatedRate)}</Table.Td>
                      <Table.Td ta="right">{f.number(p.holdoutCustomers)}</Table.Td>
                      <Table.Td ta="right">{f.number(p.holdoutConversions)}</Table.Td>
                      <Table.Td ta="right">{rate(p.holdoutRate)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </details>
        </>
      )}
    </Stack>
  );
}
