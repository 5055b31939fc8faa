// The funnel as a table whose last column draws each number as a bar: the numbers are the content,
// the bars only show proportion (aria-hidden), so a screen reader reads the table.
import { Box, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useT } from '../../i18n';
import { useResultFormat } from './format';
import { messages } from './messages';
import type { CampaignReport } from './schemas';
import { barShare, funnelStages } from './series';

export function Funnel({ report }: { report: CampaignReport }) {
  const t = useT(messages);
  const f = useResultFormat();
  const stages = funnelStages(report);
  const values = stages.map((s) => s.value);
  const suppressed = Object.entries(report.funnel.suppressed);
  return (
    <Stack gap="xs" data-testid="funnel">
      <Title order={4}>{t('funnel')}</Title>
      <Table.ScrollContainer minWidth={320} type="native" tabIndex={0}>
        <Table verticalSpacing={4} layout="fixed" captionSide="top">
          <Table.Caption c="gray.7" ta="left">
            {t('funnelCaption')}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="30%">{t('stage')}</Table.Th>
              <Table.Th w="20%" ta="right">
                {t('count')}
              </Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('share')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {stages.map(({ stage, value }) => (
              <Table.Tr key={stage} data-testid={`funnel-${stage}`}>
                <Table.Td>{t(stage)}</Table.Td>
                <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {f.number(value)}
                </Table.Td>
                <Table.Td>
                  <Box
                    aria-hidden
                    h={14}
                    bg={stage === 'converted' ? 'teal.7' : 'blue.7'}
                    style={{
                      width: `${(barShare(value, values) * 100).toFixed(1)}%`,
                      minWidth: value > 0 ? 2 : 0,
                    }}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="sm">
        {t('cameBack', {
          bounced: f.number(report.funnel.bounced),
          complained: f.number(report.funnel.complained),
          unsubscribed: f.number(report.funnel.unsubscribed),
        })}
      </Text>
      {suppressed.length === 0 ? (
        <Text size="sm">{t('noneSuppressed')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={240} type="native" tabIndex={0}>
          <Table verticalSpacing={4} captionSide="top" data-testid="funnel-suppressed">
            <Table.Caption c="gray.7" ta="left">
              {t('suppressedBy')}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reason')}</Table.Th>
                <Table.Th ta="right">{t('count')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {suppressed.map(([reason, n]) => (
                <Table.Tr key={reason}>
                  <Table.Td>
                    <code>{reason}</code>
                  </Table.Td>
                  <Table.Td ta="right">{f.number(n)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
