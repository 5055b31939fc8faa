// The document read back as a person reads it: anchor, window, cap, holdout, each step's offset and
// channels per tier, and which locales each template has. Built from whatever parses, so it follows
// the text while it is still wrong.
import { Badge, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { defineMessages, useFormat, useT } from '../../i18n';
import { ScrollTable } from '../calendar/ScrollTable';
import { type CampaignSummary, CHANNEL_NAMES, templateLocales } from './doc-view';

const messages = defineMessages({
  en: {
    title: 'Summary',
    anchor: 'Anchor',
    window: 'Send window (local time)',
    cap: 'Frequency cap',
    capValue: 'at most {max} in {days} days',
    holdout: 'Holdout',
    exit: 'Exits',
    fallback: 'Fallback locale',
    steps: 'Steps',
    step: 'Step',
    offset: 'Offset (days)',
    template: 'Template',
    channels: 'Channels per tier',
    templates: 'Templates',
    channel: 'Channel',
    locales: 'Locales',
    none: 'none',
    priority: 'Priority',
  },
  'zh-CN': {
    title: '概要',
    anchor: '锚点',
    window: '发送时段（当地时间）',
    cap: '频次上限',
    capValue: '{days} 天内最多 {max} 次',
    holdout: '对照组',
    exit: '退出条件',
    fallback: '后备语言',
    steps: '步骤',
    step: '步骤',
    offset: '偏移（天）',
    template: '模板',
    channels: '各等级的渠道',
    templates: '模板',
    channel: '渠道',
    locales: '语言',
    none: '无',
    priority: '优先级',
  },
});

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="xs" wrap="nowrap" align="baseline">
      <Text size="sm" c="dimmed" style={{ minWidth: 150 }}>
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </Group>
  );
}

export function Summary({ summary }: { summary: CampaignSummary }) {
  const t = useT(messages);
  const f = useFormat();
  const s = summary;
  const anchor = s.anchor
    ? [s.anchor.type, s.anchor.eventType, s.anchor.products?.join(', ')].filter(Boolean).join(' · ')
    : '—';
  return (
    <Stack gap="xs" data-testid="editor-summary">
      <Title order={3} size="h4">
        {t('title')}
        {s.name ? `: ${s.name}` : ''}
      </Title>
      <Fact label={t('anchor')}>{anchor}</Fact>
      <Fact label={t('priority')}>{s.priority === undefined ? '—' : f.number(s.priority)}</Fact>
      <Fact label={t('window')}>{s.sendWindow ? `${s.sendWindow.start}–${s.sendWindow.end}` : '—'}</Fact>
      <Fact label={t('cap')}>
        {s.frequencyCap
          ? t('capValue', { max: s.frequencyCap.max, days: s.frequencyCap.perDays })
          : t('none')}
      </Fact>
      <Fact label={t('holdout')}>{f.percent((s.holdoutPercent ?? 0) / 100)}</Fact>
      <Fact label={t('exit')}>{s.exit && s.exit.length > 0 ? s.exit.join(', ') : t('none')}</Fact>
      <Fact label={t('fallback')}>{s.fallbackLocale ?? '—'}</Fact>
      <Title order={4} size="h5" mt="xs">
        {t('steps')}
      </Title>
      <ScrollTable minWidth={360} label={t('steps')}>
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('step')}</Table.Th>
              <Table.Th>{t('offset')}</Table.Th>
              <Table.Th>{t('template')}</Table.Th>
              <Table.Th>{t('channels')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.steps.map((step, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: step ids may repeat while the text is wrong
              <Table.Tr key={i}>
                <Table.Td>{step.id}</Table.Td>
                <Table.Td>{step.offsetDays > 0 ? `+${step.offsetDays}` : step.offsetDays}</Table.Td>
                <Table.Td>{step.template}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {Object.entries(step.channels).map(([tier, chans]) => (
                      <Badge key={tier} variant="default" size="sm" tt="none">
                        {tier}: {chans.length > 0 ? chans.join(', ') : t('none')}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      <Title order={4} size="h5" mt="xs">
        {t('templates')}
      </Title>
      <ScrollTable minWidth={300} label={t('templates')}>
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('template')}</Table.Th>
              <Table.Th>{t('channel')}</Table.Th>
              <Table.Th>{t('locales')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {Object.keys(s.templates).flatMap((name) =>
              CHANNEL_NAMES.filter((ch) => templateLocales(s, name, ch).length > 0).map((ch) => (
                <Table.Tr key={`${name}/${ch}`}>
                  <Table.Td>{name}</Table.Td>
                  <Table.Td>{ch}</Table.Td>
                  <Table.Td>{templateLocales(s, name, ch).join(', ')}</Table.Td>
                </Table.Tr>
              )),
            )}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </Stack>
  );
}
