// Words for the codes the API answers with (suppression reasons, channels, touch and delivery
// states), in both languages; the calendar and the customer pages share them. An unknown code
// (a newer server) shows as itself rather than disappearing.
import type { RecordedReasonCode } from '../../../../shared/domain/touch.js';
import { defineMessages, useT } from '../../i18n';

type Extra =
  | 'email'
  | 'sms'
  | 'planned'
  | 'suppressed'
  | 'reserved'
  | 'sent'
  | 'failed'
  | 'unknown'
  | 'deferred'
  | 'expired'
  | 'delivered'
  | 'bounced'
  | 'complained'
  | 'rejected'
  | 'opened'
  | 'clicked'
  | 'event';

const labels = defineMessages<RecordedReasonCode | Extra>({
  en: {
    paused: 'Campaign paused',
    holdout: 'Held out (control group)',
    'no-consent': 'No consent for this channel',
    'no-address': 'No address for this channel',
    'suppressed-address': 'Address on the suppression list',
    'already-sent': 'Already sent for this occasion',
    'quiet-hours': 'Quiet hours where the customer lives',
    'frequency-cap': 'Frequency cap reached',
    'window-missed': 'Send window missed',
    exited: 'Left the campaign before the send',
    'sending-paused': 'Channel paused by the reputation guard',
    email: 'Email',
    sms: 'SMS',
    planned: 'Planned',
    suppressed: 'Suppressed',
    reserved: 'Reserved',
    sent: 'Sent',
    failed: 'Failed',
    unknown: 'Unknown (check the provider)',
    deferred: 'Deferred',
    expired: 'Expired',
    delivered: 'Delivered',
    bounced: 'Bounced',
    complained: 'Complained',
    rejected: 'Rejected',
    opened: 'Opened',
    clicked: 'Clicked',
    event: 'Provider event',
  },
  'zh-CN': {
    paused: '活动已暂停',
    holdout: '对照组（不发送）',
    'no-consent': '该渠道未获同意',
    'no-address': '该渠道没有联系地址',
    'suppressed-address': '地址在屏蔽名单中',
    'already-sent': '此场合已发送过',
    'quiet-hours': '客户所在地的静默时段',
    'frequency-cap': '已达发送频次上限',
    'window-missed': '已错过发送时段',
    exited: '发送前已退出活动',
    'sending-paused': '信誉保护已暂停该渠道',
    email: '电子邮件',
    sms: '短信',
    planned: '计划发送',
    suppressed: '已抑制',
    reserved: '已预留',
    sent: '已发送',
    failed: '失败',
    unknown: '未知（请查看服务商记录）',
    deferred: '已推迟',
    expired: '已过期',
    delivered: '已送达',
    bounced: '已退回',
    complained: '被投诉',
    rejected: '被拒绝',
    opened: '已打开',
    clicked: '已点击',
    event: '服务商事件',
  },
});

const known = (code: string): code is RecordedReasonCode | Extra => Object.hasOwn(labels.en, code);

/** `const label = useLabel(); label('no-consent')` → "No consent for this channel". */
export function useLabel(): (code: string) => string {
  const t = useT(labels);
  return (code: string) => (known(code) ? t(code) : code);
}
