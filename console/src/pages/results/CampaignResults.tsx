// One campaign in detail (GET /reports/campaigns/{id}): goal, treated vs holdout, cost per
// conversion, the uplift with its interval, the funnel and the conversions by due day.
import { Card, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useApi } from '../../auth';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { useT } from '../../i18n';
import { ConversionsChart } from './ConversionsChart';
import { Funnel } from './Funnel';
import { useResultFormat } from './format';
import { messages } from './messages';
import { type CampaignReport, detailSchema } from './schemas';
import { UpliftPanel } from './Uplift';

export function GoalText({ report }: { report: CampaignReport }) {
  const t = useT(messages);
  const g = report.goal;
  if (g === null) return <>{t('noGoal')}</>;
  return <>{g.withinDays === undefined ? g.type : t('withinDays', { type: g.type, days: g.withinDays })}</>;
}

export function CostPerConversion({ report }: { report: CampaignReport }) {
  const t = useT(messages);
  const f = useResultFormat();
  const per = report.cost.perConversion;
  return <>{per === null ? t('noConversion') : f.money(per, report.cost.currency)}</>;
}

function Figure({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Card withBorder padding="sm" data-testid={testId}>
      <Text size="sm" c="gray.7">
        {label}
      </Text>
      <Text fw={600}>{children}</Text>
    </Card>
  );
}

export function CampaignResults({ campaignId }: { campaignId: string }) {
  const t = useT(messages);
  const f = useResultFormat();
  const api = useApi();
  const detail = useLoad(
    () => api.get(`/reports/campaigns/${encodeURIComponent(campaignId)}`, detailSchema),
    [api, campaignId],
  );
  if (detail.error) return <ProblemAlert error={detail.error} />;
  const d = detail.data;
  if (!d || d.campaign.campaignId !== campaignId)
    return <Loader size="sm" role="status" aria-label={t('loading')} />;
  const c = d.campaign;
  return (
    <Stack gap="lg" data-testid="campaign-results">
      <div>
        <Title order={3}>{c.campaignId}</Title>
        <Text size="sm" c="gray.7">
          {t('range', { from: f.date(d.from), to: f.date(d.to) })}
        </Text>
      </div>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        <Figure label={t('goal')}>
          <GoalText report={c} />
        </Figure>
        <Figure label={t('treated')} testId="treated">
          {f.rateOf(c.treated)}
        </Figure>
        <Figure label={t('holdout')} testId="holdout">
          {f.rateOf(c.holdout)}
        </Figure>
        <Figure label={t('costPerConversion')} testId="cost-per-conversion">
          <CostPerConversion report={c} />
          <Text component="span" size="sm" fw={400} c="gray.7" display="block">
            {t('totalCost')}: {f.money(c.cost.total, c.cost.currency)}
          </Text>
        </Figure>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
        <UpliftPanel report={c} />
        <Funnel report={c} />
      </SimpleGrid>
      <ConversionsChart campaignId={c.campaignId} days={d.days} />
    </Stack>
  );
}
