// Campaigns: the list (state, version, what the next 7 days send) and, per campaign, the editor
// (pages/campaigns/Editor.tsx). The list route gives no send dates, so "next sends" counts the
// calendar's dry run (GET /calendar?days=7) by campaign: the same numbers the calendar page shows.
import { Anchor, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useLocation } from 'wouter';
import { useApi } from '../auth';
import { ProblemAlert } from '../components/ProblemAlert';
import { RoleGate } from '../components/RoleGate';
import { useLoad } from '../components/useLoad';
import { defineMessages, useFormat, useT } from '../i18n';
import { CampaignEditor } from './campaigns/Editor';
import { calendarSchema, listSchema, nextSendsByCampaign } from './campaigns/schemas';

const NEXT_DAYS = 7;

const messages = defineMessages({
  en: {
    title: 'Campaigns',
    new: 'New campaign',
    campaign: 'Campaign',
    state: 'State',
    version: 'Version',
    next: 'Next {days} days',
    updated: 'Updated',
    active: 'Active',
    paused: 'Paused',
    sends: '{n} touches, from {date}',
    noSends: 'none',
    nextUnknown: 'not available',
    nextNote: 'Next sends: the dry run of the next {days} days, as on the calendar page.',
    empty: 'No campaigns yet.',
    loading: 'Loading…',
  },
  'zh-CN': {
    title: '营销活动',
    new: '新建营销活动',
    campaign: '营销活动',
    state: '状态',
    version: '版本',
    next: '未来 {days} 天',
    updated: '更新时间',
    active: '进行中',
    paused: '已暂停',
    sends: '{n} 次触达，自 {date} 起',
    noSends: '无',
    nextUnknown: '暂无数据',
    nextNote: '即将发送：未来 {days} 天的演练结果，与发送日历页一致。',
    empty: '还没有营销活动。',
    loading: '加载中…',
  },
});

export function CampaignsPage() {
  const t = useT(messages);
  const f = useFormat();
  const api = useApi();
  const [, navigate] = useLocation();
  const list = useLoad(() => api.get('/campaigns', listSchema), [api]);
  const calendar = useLoad(() => api.get(`/calendar?days=${NEXT_DAYS}`, calendarSchema), [api]);
  const next = calendar.data ? nextSendsByCampaign(calendar.data) : undefined;
  const campaigns = list.data?.campaigns ?? [];

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>{t('title')}</Title>
        <RoleGate needs="editor">
          <Button component="a" href="#/campaigns/new" data-testid="new-campaign">
            {t('new')}
          </Button>
        </RoleGate>
      </Group>
      <ProblemAlert error={list.error} />
      {list.loading && !list.data && <Text size="sm">{t('loading')}</Text>}
      {list.data && campaigns.length === 0 && <Text>{t('empty')}</Text>}
      {campaigns.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table highlightOnHover withTableBorder data-testid="campaigns">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('campaign')}</Table.Th>
                <Table.Th>{t('state')}</Table.Th>
                <Table.Th>{t('version')}</Table.Th>
                <Table.Th>{t('next', { days: NEXT_DAYS })}</Table.Th>
                <Table.Th>{t('updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {campaigns.map((r) => {
                const id = r.campaign.id;
                const sends = next?.get(id);
                return (
                  <Table.Tr
                    key={id}
                    data-testid={`campaign-row-${id}`}
                    onClick={() => navigate(`/campaigns/${encodeURIComponent(id)}`)}
                    style={{ cursor: 'pointer' }}
                  >
                    <Table.Td>
                      <Anchor href={`#/campaigns/${encodeURIComponent(id)}`} fw={600}>
                        {id}
                      </Anchor>
                      <Text size="sm" c="dimmed">
                        {r.campaign.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge
                        color={r.paused ? 'gray' : 'green'}
                        variant="dot"
                        data-testid={`campaign-state-${id}`}
                      >
                        {r.paused ? t('paused') : t('active')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{f.number(r.version)}</Table.Td>
                    <Table.Td data-testid={`campaign-next-${id}`}>
                      {!next
                        ? calendar.loading
                          ? t('loading')
                          : t('nextUnknown')
                        : sends?.first
                          ? t('sends', { n: f.number(sends.touches), date: f.date(sends.first) })
                          : t('noSends')}
                    </Table.Td>
                    <Table.Td>{f.dateTime(r.updatedAt)}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Text size="sm" c="dimmed">
        {t('nextNote', { days: NEXT_DAYS })}
      </Text>
      <ProblemAlert error={calendar.error} />
    </Stack>
  );
}

export function CampaignEditPage({ id }: { id?: string }) {
  // Keyed: creating a campaign moves from /campaigns/new to /campaigns/<id>, a fresh editor.
  return <CampaignEditor key={id ?? 'new'} {...(id !== undefined && { id })} />;
}
