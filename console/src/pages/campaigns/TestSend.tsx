// One rendered step message to an address the user types (POST /campaigns/{id}/test-send): never
// to a customer, never in the ledger, refused for an address on the suppression list (editor+).
import { Alert, Button, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { atLeast, useApi, useRole } from '../../auth';
import { ProblemAlert } from '../../components/ProblemAlert';
import { RoleGate } from '../../components/RoleGate';
import { defineMessages, useT } from '../../i18n';
import type { CampaignSummary } from './doc-view';
import { MessagePickerFields, useStepChannel } from './MessagePicker';
import { type TestSent, testSendSchema } from './schemas';

const messages = defineMessages({
  en: {
    title: 'Test send',
    intro:
      'Sends one message of version {version} to the address below only. Nothing is recorded for a customer.',
    emailAddress: 'Email address',
    phone: 'Phone number (E.164, e.g. +14155550123)',
    customer: 'Render with customer id (optional)',
    customerHelp: 'Empty: sample data.',
    customerLocale: "The customer's (or the fallback)",
    send: 'Send test',
    sent: 'Sent to {to}. Provider message id: {id}',
    sentTitle: 'Sent',
    refused: 'Not sent',
    needsEditor: 'Test sends need the editor role.',
  },
  'zh-CN': {
    title: '测试发送',
    intro: '将第 {version} 版的一条消息只发送到下面的地址，不会记录到任何客户。',
    emailAddress: '邮箱地址',
    phone: '手机号码（E.164，例如 +8613800138000）',
    customer: '使用此客户 ID 渲染（可选）',
    customerHelp: '留空：使用示例数据。',
    customerLocale: '客户的语言（或后备语言）',
    send: '发送测试',
    sent: '已发送到 {to}。服务商消息 ID：{id}',
    sentTitle: '已发送',
    refused: '未发送',
    needsEditor: '测试发送需要编辑者角色。',
  },
});

export function TestSend({
  id,
  version,
  summary,
}: {
  id: string;
  version: number;
  summary: CampaignSummary;
}) {
  const t = useT(messages);
  const api = useApi();
  const canSend = atLeast(useRole(), 'editor');
  const choice = useStepChannel(summary);
  const { step, channel, locales } = choice;
  const [locale, setLocale] = useState('');
  const [address, setAddress] = useState('');
  const [customerId, setCustomerId] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: true; sent: TestSent } | { ok: false; error: unknown }>();

  const send = async () => {
    if (!step) return;
    setBusy(true);
    setResult(undefined);
    try {
      const sent = await api.send(
        'POST',
        `/campaigns/${encodeURIComponent(id)}/test-send`,
        {
          stepId: step.id,
          channel,
          address: address.trim(),
          ...(customerId.trim() && { customerId: customerId.trim() }),
          ...(locale && locales.includes(locale) && { locale }),
        },
        testSendSchema,
      );
      setResult({ ok: true, sent });
    } catch (error) {
      setResult({ ok: false, error });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="md">
      <Title order={3} size="h4">
        {t('title')}
      </Title>
      <Text size="sm">{t('intro', { version })}</Text>
      <RoleGate needs="editor">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <MessagePickerFields
              choice={choice}
              summary={summary}
              testId="test-send"
              locale={{
                value: locales.includes(locale) ? locale : '',
                set: setLocale,
                auto: t('customerLocale'),
              }}
              customer={{
                value: customerId,
                set: setCustomerId,
                label: t('customer'),
                help: t('customerHelp'),
              }}
            />
            <TextInput
              label={channel === 'email' ? t('emailAddress') : t('phone')}
              type={channel === 'email' ? 'email' : 'tel'}
              value={address}
              onChange={(e) => setAddress(e.currentTarget.value)}
              required
              data-testid="test-send-address"
            />
          </SimpleGrid>
          <Group mt="sm">
            <Button
              type="submit"
              loading={busy}
              disabled={!step || address.trim() === ''}
              data-testid="test-send"
            >
              {t('send')}
            </Button>
          </Group>
        </form>
      </RoleGate>
      {!canSend && <Text size="sm">{t('needsEditor')}</Text>}
      {result?.ok && (
        <Alert
          color="green"
          variant="default"
          title={t('sentTitle')}
          role="status"
          data-testid="test-send-result"
        >
          {t('sent', { to: result.sent.to, id: result.sent.providerMessageId })}
        </Alert>
      )}
      {result && !result.ok && <ProblemAlert error={result.error} title={t('refused')} />}
    </Stack>
  );
}
