// The applied version's messages as a customer gets them: choose a step, a channel, one of the
// template's locales and a customer (or the sample customer), and POST /campaigns/{id}/preview
// renders it. An email shows its subject, its HTML in a sandboxed frame (no script, no same-origin
// access) and its plain text; an SMS its text with the segments and encoding it costs.
import { Alert, Button, Code, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../../auth';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { defineMessages, useFormat, useT } from '../../i18n';
import { type CampaignSummary, segmentsOf } from './doc-view';
import { MessagePickerFields, useStepChannel } from './MessagePicker';
import { previewSchema } from './schemas';

const messages = defineMessages({
  en: {
    title: 'Preview',
    intro: 'Renders version {version}, the applied one. Apply your changes to preview them.',
    customer: 'Customer id',
    customerHelp: 'Empty: the sample customer.',
    show: 'Show preview',
    forCustomer: 'For {customer}, tier {tier}',
    sample: 'the sample customer',
    noTier: 'none',
    subject: 'Subject',
    html: 'HTML email',
    frameTitle: 'HTML preview of the email to {customer}',
    text: 'Plain text',
    sms: 'SMS text',
    segments: '{segments} segment(s), {encoding}, {units} units',
    fallback: 'This template has no {asked} version: the fallback {used} is shown.',
    notForTier: 'This step does not send {channel} to tier {tier}; shown for checking only.',
    noMessage: 'The step has no message on this channel.',
  },
  'zh-CN': {
    title: '预览',
    intro: '渲染当前已应用的第 {version} 版。修改需先应用才能预览。',
    customer: '客户 ID',
    customerHelp: '留空：使用示例客户。',
    show: '显示预览',
    forCustomer: '客户 {customer}，等级 {tier}',
    sample: '示例客户',
    noTier: '无',
    subject: '主题',
    html: 'HTML 邮件',
    frameTitle: '发给 {customer} 的邮件 HTML 预览',
    text: '纯文本',
    sms: '短信文本',
    segments: '{segments} 条，{encoding} 编码，{units} 个单位',
    fallback: '此模板没有 {asked} 版本：显示后备语言 {used}。',
    notForTier: '此步骤不会通过 {channel} 发送给 {tier} 等级；仅供检查。',
    noMessage: '此步骤在该渠道上没有消息。',
  },
});

/** Long lines wrap: a message is read, not scrolled sideways (and stays readable at 390 px). */
const WRAP = { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' } as const;

export function Preview({ id, version, summary }: { id: string; version: number; summary: CampaignSummary }) {
  const t = useT(messages);
  const f = useFormat();
  const api = useApi();
  const choice = useStepChannel(summary);
  const { step, channel, locales } = choice;
  const [localeChoice, setLocale] = useState(summary.fallbackLocale ?? '');
  const locale = locales.includes(localeChoice) ? localeChoice : (locales[0] ?? localeChoice);
  const [customerInput, setCustomerInput] = useState('');
  const [customerId, setCustomerId] = useState('');

  const preview = useLoad(
    () =>
      api.send(
        'POST',
        `/campaigns/${encodeURIComponent(id)}/preview`,
        { ...(locale && { locale }), ...(customerId && { customerId }) },
        previewSchema,
      ),
    [api, id, version, locale, customerId],
  );
  const p = preview.data;
  const message = p?.messages.find((m) => m.stepId === step?.id && m.channel === channel);
  const who = p ? (p.sample ? t('sample') : p.customerId) : '';
  const segments = message && channel === 'sms' ? segmentsOf(message.text) : undefined;

  return (
    <Stack gap="md">
      <Title order={3} size="h4">
        {t('title')}
      </Title>
      <Text size="sm">{t('intro', { version })}</Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const next = customerInput.trim();
          if (next === customerId) preview.reload();
          else setCustomerId(next);
        }}
      >
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          <MessagePickerFields
            choice={choice}
            summary={summary}
            testId="preview"
            withOffsets
            locale={{ value: locale, set: setLocale }}
            customer={{
              value: customerInput,
              set: setCustomerInput,
              label: t('customer'),
              help: t('customerHelp'),
            }}
          />
        </SimpleGrid>
        <Group mt="sm">
          <Button type="submit" variant="light" data-testid="preview-show" loading={preview.loading}>
            {t('show')}
          </Button>
        </Group>
      </form>
      <ProblemAlert error={preview.error} />
      {p && !preview.error && (
        <Stack gap="sm" data-testid="preview" aria-busy={preview.loading}>
          <Text size="sm" c="dimmed">
            {t('forCustomer', { customer: who, tier: p.tier ?? t('noTier') })}
          </Text>
          {!message && <Alert color="gray">{t('noMessage')}</Alert>}
          {message && message.locale !== locale && locale && (
            <Alert color="yellow" variant="light">
              {t('fallback', { asked: locale, used: message.locale })}
            </Alert>
          )}
          {message && !message.forTier && p.tier && (
            <Alert color="gray" variant="light">
              {t('notForTier', { channel, tier: p.tier })}
            </Alert>
          )}
          {message && channel === 'email' && (
            <>
              <div>
                <Text size="sm" fw={600}>
                  {t('subject')}
                </Text>
                <Text data-testid="preview-subject" lang={message.locale}>
                  {message.subject}
                </Text>
              </div>
              <div>
                <Text size="sm" fw={600} mb={4}>
                  {t('html')}
                </Text>
                <iframe
                  data-testid="preview-frame"
                  title={t('frameTitle', { customer: who })}
                  sandbox=""
                  srcDoc={message.composed?.html ?? message.html ?? ''}
                  style={{
                    width: '100%',
                    height: 480,
                    border: '1px solid var(--mantine-color-default-border)',
                    background: 'white',
                  }}
                />
              </div>
              <div>
                <Text size="sm" fw={600} mb={4}>
                  {t('text')}
                </Text>
                <Code block data-testid="preview-text" lang={message.locale} style={WRAP}>
                  {message.composed?.text ?? message.text}
                </Code>
              </div>
            </>
          )}
          {message && channel === 'sms' && (
            <div>
              <Text size="sm" fw={600} mb={4}>
                {t('sms')}
              </Text>
              <Code block data-testid="preview-text" lang={message.locale} style={WRAP}>
                {message.text}
              </Code>
              {segments && (
                <Text size="sm" mt={4} data-testid="sms-segments" data-segments={segments.segments}>
                  {t('segments', {
                    segments: f.number(segments.segments),
                    encoding: segments.encoding,
                    units: f.number(segments.units),
                  })}
                </Text>
              )}
            </div>
          )}
        </Stack>
      )}
    </Stack>
  );
}
