// The touches of one day from the dry run (GET /plan?date=D), 200 at a time with "Show more" (the
// API's cursor; a 409 means the plan changed meanwhile: the page starts over). Each customer links
// to #/customers/:id; a suppressed touch says why.
import { Anchor, Badge, Button, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../api';
import { useApi } from '../../auth';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useFormat, useT } from '../../i18n';
import { useLabel } from './labels';
import { messages } from './messages';
import { ScrollTable } from './ScrollTable';
import { type PlanTouch, planPageSchema } from './schemas';

const PAGE = 200;

interface Loaded {
  touches: PlanTouch[];
  total: number;
  cursor: string | undefined;
}

export function DayTouches({ date }: { date: string }) {
  const t = useT(messages);
  const fmt = useFormat();
  const label = useLabel();
  const api = useApi();
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const page = useCallback(
    async (cursor: string | undefined, before: PlanTouch[]): Promise<Loaded> => {
      const q = new URLSearchParams({ date, limit: String(PAGE) });
      if (cursor !== undefined) q.set('cursor', cursor);
      const p = await api.get(`/plan?${q}`, planPageSchema);
      return {
        touches: [...before, ...p.touches],
        total: p.summary.planned + p.summary.suppressed,
        cursor: p.nextCursor,
      };
    },
    [api, date],
  );

  useEffect(() => {
    let live = true;
    setLoaded(undefined);
    setError(undefined);
    setBusy(true);
    page(undefined, []).then(
      (l) => {
        if (!live) return;
        setLoaded(l);
        setBusy(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e);
        setBusy(false);
      },
    );
    return () => {
      live = false;
    };
  }, [page]);

  const more = () => {
    if (!loaded?.cursor) return;
    setBusy(true);
    page(loaded.cursor, loaded.touches)
      .catch((e: unknown) =>
        e instanceof ApiError && e.status === 409 ? page(undefined, []) : Promise.reject(e),
      )
      .then(setLoaded, setError)
      .finally(() => setBusy(false));
  };

  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('dayTouches')}
        </Title>
        <ProblemAlert error={error} />
        {busy && !loaded && <Loader size="sm" role="status" aria-label={t('loading')} />}
        {loaded && loaded.touches.length === 0 && <Text>{t('noGroups')}</Text>}
        {loaded && loaded.touches.length > 0 && (
          <>
            <ScrollTable minWidth={860} label={t('dayTouches')}>
              <Table striped data-testid="day-touches">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('customer')}</Table.Th>
                    <Table.Th scope="col">{t('campaign')}</Table.Th>
                    <Table.Th scope="col">{t('channel')}</Table.Th>
                    <Table.Th scope="col">{t('tier')}</Table.Th>
                    <Table.Th scope="col">{t('locale')}</Table.Th>
                    <Table.Th scope="col">{t('sendAt')}</Table.Th>
                    <Table.Th scope="col">{t('status')}</Table.Th>
                    <Table.Th scope="col">{t('why')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {loaded.touches.map((x) => (
                    <Table.Tr
                      key={`${x.campaignId}/${x.stepId}/${x.customerId}/${x.channel}/${x.occasion}`}
                      data-testid={`day-touch-${x.campaignId}-${x.stepId}-${x.customerId}-${x.channel}`}
                    >
                      <Table.Td>
                        <Anchor c="blue.8" size="sm" href={`#/customers/${encodeURIComponent(x.customerId)}`}>
                          {x.customerId}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        {x.campaignId} / {x.stepId}
                      </Table.Td>
                      <Table.Td>{label(x.channel)}</Table.Td>
                      <Table.Td>{x.tier}</Table.Td>
                      <Table.Td>{x.locale}</Table.Td>
                      <Table.Td>{fmt.dateTime(x.sendAt)}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" c="dark.8" color={x.status === 'planned' ? 'green' : 'orange'}>
                          {label(x.status)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{x.reason !== undefined ? label(x.reason) : ''}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
            <Text size="sm" c="gray.7">
              {t('shown', { shown: fmt.number(loaded.touches.length), total: fmt.number(loaded.total) })}
            </Text>
            {loaded.cursor !== undefined && (
              <Button variant="light" onClick={more} loading={busy} data-testid="day-touches-more">
                {t('showMore')}
              </Button>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
