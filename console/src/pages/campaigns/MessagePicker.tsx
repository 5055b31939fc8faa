// How a campaign message is chosen, shared by Preview and Test send: a step, one of the channels its
// template has text for, one of that channel's locales, and a customer to render for.
import { NativeSelect, TextInput } from '@mantine/core';
import { useState } from 'react';
import { defineMessages, useT } from '../../i18n';
import {
  type CampaignSummary,
  type ChannelName,
  type StepSummary,
  templateChannels,
  templateLocales,
} from './doc-view';

const messages = defineMessages({
  en: { step: 'Step', channel: 'Channel', locale: 'Locale' },
  'zh-CN': { step: '步骤', channel: '渠道', locale: '语言' },
});

export interface StepChannelChoice {
  step: StepSummary | undefined;
  setStepId: (id: string) => void;
  channels: ChannelName[];
  channel: ChannelName;
  setChannel: (channel: ChannelName) => void;
  /** The template's locales on the chosen channel. */
  locales: string[];
}

export function useStepChannel(summary: CampaignSummary): StepChannelChoice {
  const [stepId, setStepId] = useState(summary.steps[0]?.id ?? '');
  const step = summary.steps.find((s) => s.id === stepId) ?? summary.steps[0];
  const channels = step ? templateChannels(summary, step.template) : [];
  const [channelChoice, setChannel] = useState<ChannelName>('email');
  const channel = channels.includes(channelChoice) ? channelChoice : (channels[0] ?? 'email');
  const locales = step ? templateLocales(summary, step.template, channel) : [];
  return { step, setStepId, channels, channel, setChannel, locales };
}

/**
 * The fields a message is chosen by: step, channel, locale and the customer to render for.
 * `testId` prefixes their test ids (`<testId>-step`, `-channel`, `-locale`, `-customer`).
 */
export function MessagePickerFields({
  choice,
  summary,
  testId,
  locale,
  customer,
  withOffsets = false,
}: {
  choice: StepChannelChoice;
  summary: CampaignSummary;
  testId: string;
  /** `auto`: the label of an empty choice (the customer's own locale) listed first. */
  locale: { value: string; set: (locale: string) => void; auto?: string };
  /** The customer id field, with its label and help: what an empty id means differs by page. */
  customer: { value: string; set: (id: string) => void; label: string; help: string };
  /** Label each step with its offset in days, e.g. `reminder (-30)`. */
  withOffsets?: boolean;
}) {
  const t = useT(messages);
  const { auto } = locale;
  return (
    <>
      <NativeSelect
        label={t('step')}
        value={choice.step?.id ?? ''}
        onChange={(e) => choice.setStepId(e.currentTarget.value)}
        data={summary.steps.map((s) =>
          withOffsets ? { value: s.id, label: `${s.id} (${s.offsetDays})` } : s.id,
        )}
        data-testid={`${testId}-step`}
      />
      <NativeSelect
        label={t('channel')}
        value={choice.channel}
        onChange={(e) => {
          const v = e.currentTarget.value;
          if (v === 'email' || v === 'sms') choice.setChannel(v);
        }}
        data={choice.channels}
        data-testid={`${testId}-channel`}
      />
      <NativeSelect
        label={t('locale')}
        value={locale.value}
        onChange={(e) => locale.set(e.currentTarget.value)}
        data={auto === undefined ? choice.locales : [{ value: '', label: auto }, ...choice.locales]}
        data-testid={`${testId}-locale`}
      />
      <TextInput
        label={customer.label}
        description={customer.help}
        value={customer.value}
        onChange={(e) => customer.set(e.currentTarget.value)}
        data-testid={`${testId}-customer`}
      />
    </>
  );
}
