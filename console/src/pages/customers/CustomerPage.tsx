// One customer (#/customers/:id): GET /customers/{id}/view gives the profile, tier, contracts,
// current consent with its history, and every touch (ledger row) with its delivery events, in one
// read; export (editors) and erase (admins) are in CustomerActions.tsx.
import { Anchor, Loader, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../../auth';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { useT } from '../../i18n';
import { CustomerActions } from './CustomerActions';
import { messages } from './messages';
import { ConsentSection, ContractsSection, ProfileSection } from './Profile';
import { customerViewSchema, type Erasure } from './schemas';
import { TouchesSection } from './Touches';

export function CustomerPage({ id }: { id: string }) {
  const t = useT(messages);
  const api = useApi();
  const view = useLoad(
    () => api.get(`/customers/${encodeURIComponent(id)}/view`, customerViewSchema),
    [api, id],
  );
  const [erased, setErased] = useState<Erasure>();
  const v = erased ? undefined : view.data;
  return (
    <Stack gap="lg">
      <Anchor c="blue.8" href="#/customers" size="sm">
        ← {t('back')}
      </Anchor>
      <Title order={2}>{v?.customer.name ? `${v.customer.name} (${id})` : id}</Title>
      {erased && (
        <Text role="status" data-testid="erased">
          {t('erased', {
            anon: erased.anonymousId,
            rows: erased.ledgerRows,
            contracts: erased.contracts,
            events: erased.events,
          })}
        </Text>
      )}
      {!erased && <ProblemAlert error={view.error} />}
      {!erased && view.loading && !v && <Loader size="sm" role="status" aria-label={t('loading')} />}
      {v && (
        <>
          <ProfileSection view={v} />
          <CustomerActions id={id} onErased={setErased} />
          <ContractsSection view={v} />
          <ConsentSection view={v} />
          <TouchesSection touches={v.touches} />
        </>
      )}
    </Stack>
  );
}
