// One campaign: its document (editable, checked live), preview per locale and channel, versions with
// a diff, test send; pause and resume. `#/campaigns/new` starts from a small valid document.
import { Anchor, Badge, Button, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useLocation } from 'wouter';
import { useApi } from '../../auth';
import { ProblemAlert } from '../../components/ProblemAlert';
import { RoleGate } from '../../components/RoleGate';
import { useLoad } from '../../components/useLoad';
import { defineMessages, useFormat, useT } from '../../i18n';
import { DocumentEditor } from './DocumentEditor';
import { summarize } from './doc-view';
import { Preview } from './Preview';
import { type CampaignRecord, recordSchema, settingsSchema } from './schemas';
import { TestSend } from './TestSend';
import { Versions } from './Versions';

const messages = defineMessages({
  en: {
    title: 'Campaign {id}',
    newTitle: 'New campaign',
    back: 'All campaigns',
    active: 'Active',
    paused: 'Paused',
    version: 'Version {version}',
    updated: 'Updated {at}',
    pause: 'Pause',
    resume: 'Resume',
    document: 'Document',
    preview: 'Preview',
    versions: 'Versions',
    testSend: 'Test send',
    sections: 'Campaign sections',
  },
  'zh-CN': {
    title: '营销活动 {id}',
    newTitle: '新建营销活动',
    back: '全部营销活动',
    active: '进行中',
    paused: '已暂停',
    version: '第 {version} 版',
    updated: '更新于 {at}',
    pause: '暂停',
    resume: '恢复',
    document: '文档',
    preview: '预览',
    versions: '版本',
    testSend: '测试发送',
    sections: '营销活动分区',
  },
});

/** A small campaign that passes every check with the default tiers: a place to start. */
const STARTER = {
  id: 'new-campaign',
  name: 'New campaign',
  priority: 50,
  anchor: { type: 'contractEnd' },
  steps: [{ id: 'd-30', offsetDays: -30, channels: { standard: ['email'] }, template: 'reminder' }],
  exit: ['contractRenewed', 'optedOut'],
  sendWindow: { start: '09:00', end: '18:00' },
  holdoutPercent: 0,
  fallbackLocale: 'en-US',
  templates: {
    reminder: {
      email: {
        'en-US': {
          subject: 'Your {{ contract.product }} plan ends soon',
          text: 'Hi {{ customer.name }}, your plan ends on {{ contract.endDate }}.\nUnsubscribe: {{ unsubscribeUrl }}',
        },
      },
    },
  },
};

const pretty = (doc: unknown): string => JSON.stringify(doc, null, 2);
type Tab = 'document' | 'preview' | 'versions' | 'test';
const isTab = (v: string | null): v is Tab =>
  v === 'document' || v === 'preview' || v === 'versions' || v === 'test';

export function CampaignEditor({ id }: { id?: string }) {
  const t = useT(messages);
  const f = useFormat();
  const api = useApi();
  const [, navigate] = useLocation();
  const settings = useLoad(() => api.get('/settings', settingsSchema), [api]);
  const tierIds = useMemo(() => settings.data?.tiers.map((tier) => tier.id), [settings.data]);
  const loaded = useLoad(
    async () => (id ? api.get(`/campaigns/${encodeURIComponent(id)}`, recordSchema) : undefined),
    [api, id],
  );
  const [changed, setChanged] = useState<CampaignRecord>();
  const record = changed ?? loaded.data;
  const [text, setText] = useState(id ? '' : pretty(STARTER));
  const [shown, setShown] = useState<string>();
  const [tab, setTab] = useState<Tab>('document');
  const [stateError, setStateError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  // A stored version (on load, after apply) replaces the text; pausing keeps what is being edited.
  const versionKey = record ? `${record.campaign.id}:${record.version}` : undefined;
  useEffect(() => {
    if (record && versionKey !== shown) {
      setText(pretty(record.campaign));
      setShown(versionKey);
    }
  }, [record, versionKey, shown]);

  const storedSummary = useMemo(() => (record ? summarize(record.campaign) : undefined), [record]);

  const setPaused = async (action: 'pause' | 'resume') => {
    if (!id) return;
    setBusy(true);
    setStateError(undefined);
    try {
      setChanged(await api.send('POST', `/campaigns/${encodeURIComponent(id)}/${action}`, {}, recordSchema));
    } catch (e) {
      setStateError(e);
    } finally {
      setBusy(false);
    }
  };

  const onApplied = (r: CampaignRecord) => {
    if (!id) navigate(`/campaigns/${encodeURIComponent(r.campaign.id)}`);
    else setChanged(r);
  };

  const editor = (
    <DocumentEditor
      {...(id !== undefined && { id })}
      text={text}
      onText={setText}
      {...(tierIds !== undefined && { tierIds })}
      onApplied={onApplied}
    />
  );

  return (
    <Stack gap="md">
      <Anchor href="#/campaigns" size="sm">
        {t('back')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={2}>{id ? t('title', { id }) : t('newTitle')}</Title>
          {record && (
            <Group gap="xs">
              <Badge color={record.paused ? 'gray' : 'green'} variant="dot" data-testid="campaign-state">
                {record.paused ? t('paused') : t('active')}
              </Badge>
              <Badge variant="default" data-testid="campaign-version">
                {t('version', { version: record.version })}
              </Badge>
              <Text size="sm" c="dimmed">
                {t('updated', { at: f.dateTime(record.updatedAt) })}
              </Text>
            </Group>
          )}
        </Stack>
        {record && (
          <RoleGate needs="editor">
            {record.paused ? (
              <Button onClick={() => void setPaused('resume')} loading={busy} data-testid="resume">
                {t('resume')}
              </Button>
            ) : (
              <Button
                variant="default"
                onClick={() => void setPaused('pause')}
                loading={busy}
                data-testid="pause"
              >
                {t('pause')}
              </Button>
            )}
          </RoleGate>
        )}
      </Group>
      <ProblemAlert error={stateError} />
      <ProblemAlert error={loaded.error} />
      {!id && editor}
      {id && record && storedSummary && (
        <Tabs value={tab} onChange={(v) => isTab(v) && setTab(v)} keepMounted={false}>
          <Tabs.List aria-label={t('sections')}>
            <Tabs.Tab value="document" data-testid="tab-document">
              {t('document')}
            </Tabs.Tab>
            <Tabs.Tab value="preview" data-testid="tab-preview">
              {t('preview')}
            </Tabs.Tab>
            <Tabs.Tab value="versions" data-testid="tab-versions">
              {t('versions')}
            </Tabs.Tab>
            <Tabs.Tab value="test" data-testid="tab-test-send">
              {t('testSend')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="document" pt="md">
            {editor}
          </Tabs.Panel>
          <Tabs.Panel value="preview" pt="md">
            <Preview id={id} version={record.version} summary={storedSummary} />
          </Tabs.Panel>
          <Tabs.Panel value="versions" pt="md">
            <Versions
              key={record.version}
              id={id}
              onOpen={(doc) => {
                setText(pretty(doc));
                setTab('document');
              }}
            />
          </Tabs.Panel>
          <Tabs.Panel value="test" pt="md">
            <TestSend id={id} version={record.version} summary={storedSummary} />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}
