// The uplift with its 95 % interval: the phrase ("+24.1 pp (95 % CI +6.4 pp to +39.9 pp)"), the
// p-value, an interval bar with 0 marked, and what the interval says in words (docs/results.md).
// Below the minimum sample the API gives no uplift, and the page says why instead of a number.
import { Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { MIN_GROUP_CUSTOMERS, MIN_TOTAL_CONVERSIONS } from '../../../../shared/domain/uplift.js';
import { useT } from '../../i18n';
import { useResultFormat } from './format';
import { messages } from './messages';
import type { CampaignReport } from './schemas';
import { intervalScale, readInterval } from './series';

const W = 480;
const H = 44;
const PAD = 16;

export function UpliftPanel({ report }: { report: CampaignReport }) {
  const t = useT(messages);
  const f = useResultFormat();
  const id = useId();
  const u = report.uplift;
  if (u === null)
    return (
      <Stack gap="xs" data-testid="uplift">
        <Title order={4}>{t('upliftHeading')}</Title>
        <Text data-testid="uplift-text">
          {t('notEnough', { customers: MIN_GROUP_CUSTOMERS, conversions: MIN_TOTAL_CONVERSIONS })}
        </Text>
      </Stack>
    );
  const scale = intervalScale(u);
  const x = (v: number) => PAD + scale.at(v) * (W - 2 * PAD);
  const reading = readInterval(u);
  return (
    <Stack gap="xs" data-testid="uplift">
      <Title order={4}>{t('upliftHeading')}</Title>
      <Text fw={600} size="lg" data-testid="uplift-text">
        {f.uplift(u)}, {f.pValue(u.pValue)}
      </Text>
      <svg
        role="img"
        aria-labelledby={`${id}-t`}
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        style={{ maxWidth: W, height: 'auto' }}
        data-testid="uplift-interval"
      >
        <title id={`${id}-t`}>
          {t('intervalLabel', { low: f.pp(u.low), high: f.pp(u.high), value: f.pp(u.value) })}
        </title>
        <line x1={PAD} x2={W - PAD} y1={16} y2={16} stroke="var(--mantine-color-gray-4)" />
        <line x1={x(0)} x2={x(0)} y1={2} y2={30} stroke="var(--mantine-color-gray-7)" strokeDasharray="3 3" />
        <rect
          x={x(u.low)}
          y={10}
          width={Math.max(1, x(u.high) - x(u.low))}
          height={12}
          rx={3}
          fill="var(--mantine-color-blue-2)"
          stroke="var(--mantine-color-blue-7)"
        />
        <circle cx={x(u.value)} cy={16} r={5} fill="var(--mantine-color-blue-7)" />
        <text x={PAD} y={H - 2} fontSize={13} fill="currentColor">
          {f.pp(-scale.span)}
        </text>
        <text x={x(0)} y={H - 2} fontSize={13} textAnchor="middle" fill="currentColor">
          {t('zero')}
        </text>
        <text x={W - PAD} y={H - 2} fontSize={13} textAnchor="end" fill="currentColor">
          {f.pp(scale.span)}
        </text>
      </svg>
      <Text size="sm" data-testid="uplift-reading" data-reading={reading}>
        {t(reading === 'above' ? 'readAbove' : reading === 'below' ? 'readBelow' : 'readSpans')}
      </Text>
    </Stack>
  );
}
