// Results (#/results): every campaign's outcome in one table (GET /reports/campaigns), and the chosen
// one in detail below it (GET /reports/campaigns/{id}). Both read the aggregate counters only.
import { Button, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../auth';
import { ProblemAlert } from '../components/ProblemAlert';
import { useLoad } from '../components/useLoad';
import { useT } from '../i18n';
import { CampaignResults, CostPerConversion, GoalText } from './results/CampaignResults';
import { useResultFormat } from './results/format';
import { messages } from './results/messages';
import { type CampaignReport, reportSchema } from './results/schemas';

/** The campaign shown first: one with an uplift, else one that planned something, else the first. */
const firstWorthShowing = (campaigns: readonly CampaignReport[]): string | undefined =>
  (campaigns.find((c) => c.uplift !== null) ?? campaigns.find((c) => c.funnel.planned > 0) ?? campaigns[0])
    ?.campaignId;

export function ResultsPage() {
  const t = useT(messages);
  const f = useResultFormat();
  const api = useApi();
  const report = useLoad(() => api.get('/reports/campaigns', reportSchema), [api]);
  const [chosen, setChosen] = useState<string>();
  const campaigns = report.data?.campaigns ?? [];
  const shown = chosen ?? firstWorthShowing(campaigns);
  return (
    <Stack gap="lg">
      <Title order={2}>{t('title')}</Title>
      <Text>{t('intro')}</Text>
      <ProblemAlert error={report.error} />
      {report.loading && !report.data && <Loader size="sm" role="status" aria-label={t('loading')} />}
      {report.data && campaigns.length === 0 && <Text>{t('noCampaigns')}</Text>}
      {report.data && campaigns.length > 0 && (
        <>
          <Text size="sm" c="gray.7">
            {t('range', { from: f.date(report.data.from), to: f.date(report.data.to) })}
          </Text>
          <Table.ScrollContainer minWidth={820} type="native" tabIndex={0}>
            <Table highlightOnHover captionSide="top" data-testid="results-campaigns">
              <Table.Caption c="gray.7" ta="left">
                {t('campaigns')}
              </Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('campaign')}</Table.Th>
                  <Table.Th>{t('goal')}</Table.Th>
                  <Table.Th>{t('treated')}</Table.Th>
                  <Table.Th>{t('holdout')}</Table.Th>
                  <Table.Th>{t('uplift')}</Table.Th>
                  <Table.Th>{t('costPerConversion')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {campaigns.map((c) => (
                  <Table.Tr key={c.campaignId} aria-current={c.campaignId === shown ? 'true' : undefined}>
                    <Table.Td>
                      {c.campaignId === shown ? (
                        <Text fw={700} data-testid={`results-campaign-${c.campaignId}`} data-current="true">
                          {c.campaignId}{' '}
                          <Text span size="sm" fw={400} c="gray.7">
                            ({t('showing')})
                          </Text>
                        </Text>
                      ) : (
                        <Button
                          variant="subtle"
                          size="compact-sm"
                          px={0}
                          onClick={() => setChosen(c.campaignId)}
                          aria-label={t('show', { id: c.campaignId })}
                          data-testid={`results-campaign-${c.campaignId}`}
                        >
                          {c.campaignId}
                        </Button>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <GoalText report={c} />
                    </Table.Td>
                    <Table.Td>{f.rateOf(c.treated)}</Table.Td>
                    <Table.Td>{f.rateOf(c.holdout)}</Table.Td>
                    <Table.Td>{c.uplift === null ? t('notEnoughShort') : f.uplift(c.uplift)}</Table.Td>
                    <Table.Td>
                      <CostPerConversion report={c} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {shown !== undefined && <CampaignResults campaignId={shown} />}
        </>
      )}
    </Stack>
  );
}
