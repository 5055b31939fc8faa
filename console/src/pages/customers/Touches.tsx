// Every touch of a customer (ledger rows, due date order) with its delivery timeline: reserved →
// sent or suppressed (why) → the provider's events (delivered, bounced, complained, opened …).
import { Badge, Group, Paper, Stack, Text, Timeline, Title } from '@mantine/core';
import { useFormat, useT } from '../../i18n';
import { useLabel } from '../calendar/labels';
import { messages } from './messages';
import type { Delivery } from './schemas';
import { deliveryTimeline } from './timeline';

const BAD = new Set(['suppressed', 'failed', 'bounced', 'complained', 'rejected', 'expired', 'unknown']);
const colorOf = (state: string): string =>
  BAD.has(state) ? 'orange' : state === 'reserved' ? 'gray' : 'green';

export function TouchesSection({ touches }: { touches: readonly Delivery[] }) {
  const t = useT(messages);
  return (
    <Paper withBorder p="md" data-testid="customer-touches">
      <Title order={3} size="h4" mb="sm">
        {t('touches')}
      </Title>
      {touches.length === 0 ? (
        <Text>{t('noTouches')}</Text>
      ) : (
        <Stack gap="md">
          {touches.map((d) => (
            <Touch key={`${d.campaignId}/${d.stepId}/${d.channel}/${d.occasion}`} touch={d} />
          ))}
        </Stack>
      )}
    </Paper>
  );
}

function Touch({ touch: d }: { touch: Delivery }) {
  const t = useT(messages);
  const fmt = useFormat();
  const label = useLabel();
  const steps = deliveryTimeline(d);
  const last = d.delivery ?? d.status;
  return (
    <Paper
      withBorder
      p="sm"
      data-testid={`touch-${d.campaignId}-${d.stepId}`}
      data-channel={d.channel}
      data-status={d.status}
      data-delivery={d.delivery}
    >
      <Group justify="space-between" wrap="wrap" gap="xs" mb="xs">
        <Text fw={700} component="h4" m={0} size="sm">
          {d.campaignId} / {d.stepId} · {label(d.channel)}
        </Text>
        <Badge variant="light" c="dark.8" color={colorOf(last)}>
          {label(last)}
        </Badge>
      </Group>
      <Text size="xs" c="gray.7" mb="xs" style={{ overflowWrap: 'anywhere' }}>
        {t('due', { date: fmt.date(d.dueDate) })} · {d.occasion}
        {d.address !== undefined && ` · ${t('to', { address: d.address })}`}
      </Text>
      <Timeline
        active={steps.length - 1}
        bulletSize={14}
        lineWidth={2}
        data-testid="delivery-timeline"
        aria-label={t('timeline', { campaign: d.campaignId, step: d.stepId, channel: label(d.channel) })}
      >
        {steps.map((s) => (
          <Timeline.Item
            key={`${s.state}/${s.at}/${s.detail ?? ''}`}
            color={colorOf(s.state)}
            title={label(s.state)}
            data-state={s.state}
          >
            <Text size="xs" c="gray.7">
              {fmt.dateTime(s.at)}
              {s.detail !== undefined && ` · ${s.state === 'suppressed' ? label(s.detail) : s.detail}`}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
    </Paper>
  );
}
