// Customers (#/customers): find one by id, email or phone (GET /customers?q=; never a scan, so there
// is no list of everyone), results linking to #/customers/:id (customers/CustomerPage.tsx). The last
// search is kept for the tab, so "back" from a customer shows the same results.
import { Anchor, Button, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useApi } from '../auth';
import { ProblemAlert } from '../components/ProblemAlert';
import { useT } from '../i18n';
import { ScrollTable } from './calendar/ScrollTable';
import { messages } from './customers/messages';
import { type CustomerHit, searchSchema } from './customers/schemas';

export { CustomerPage } from './customers/CustomerPage';

const LAST = 'touchpoint.customerSearch';

export function CustomersPage() {
  const t = useT(messages);
  const api = useApi();
  const [q, setQ] = useState(() => sessionStorage.getItem(LAST) ?? '');
  const [asked, setAsked] = useState<string>();
  const [hits, setHits] = useState<CustomerHit[]>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const search = (text: string) => {
    const query = text.trim();
    if (!query) return;
    sessionStorage.setItem(LAST, query);
    setBusy(true);
    setError(undefined);
    api
      .get(`/customers?${new URLSearchParams({ q: query })}`, searchSchema)
      .then(
        (r) => {
          setHits(r.customers);
          setAsked(query);
        },
        (e: unknown) => {
          setHits(undefined);
          setError(e);
        },
      )
      .finally(() => setBusy(false));
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, to show the kept search again
  useEffect(() => {
    if (q.trim()) search(q);
  }, []);

  return (
    <Stack gap="lg">
      <Title order={2}>{t('title')}</Title>
      <Text>{t('intro')}</Text>
      <search>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            search(q);
          }}
        >
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label={t('query')}
              value={q}
              onChange={(e) => setQ(e.currentTarget.value)}
              data-testid="customer-search"
              autoComplete="off"
              style={{ flex: '1 1 16rem' }}
            />
            <Button color="blue.8" type="submit" loading={busy} data-testid="customer-search-submit">
              {t('search')}
            </Button>
          </Group>
        </form>
      </search>
      <ProblemAlert error={error} />
      {busy && !hits && <Loader size="sm" role="status" aria-label={t('loading')} />}
      {hits && hits.length === 0 && asked !== undefined && (
        <Text data-testid="customer-none">{t('none', { q: asked })}</Text>
      )}
      {hits && hits.length > 0 && <Results hits={hits} />}
    </Stack>
  );
}

function Results({ hits }: { hits: readonly CustomerHit[] }) {
  const t = useT(messages);
  const matched = (m: string | undefined) =>
    m === 'id'
      ? t('matchedId')
      : m === 'email'
        ? t('matchedEmail')
        : m === 'phone'
          ? t('matchedPhone')
          : (m ?? '');
  return (
    <ScrollTable minWidth={720} label={t('results')}>
      <Table striped highlightOnHover data-testid="customer-results">
        <Table.Caption c="gray.7">{t('results')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('id')}</Table.Th>
            <Table.Th scope="col">{t('name')}</Table.Th>
            <Table.Th scope="col">{t('email')}</Table.Th>
            <Table.Th scope="col">{t('phone')}</Table.Th>
            <Table.Th scope="col">{t('locale')}</Table.Th>
            <Table.Th scope="col">{t('tier')}</Table.Th>
            <Table.Th scope="col">{t('matched')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {hits.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                <Anchor
                  c="blue.8"
                  href={`#/customers/${encodeURIComponent(c.id)}`}
                  data-testid={`customer-result-${c.id}`}
                >
                  {c.id}
                </Anchor>
              </Table.Td>
              <Table.Td>{c.name ?? ''}</Table.Td>
              <Table.Td>{c.email ?? ''}</Table.Td>
              <Table.Td>{c.phone ?? ''}</Table.Td>
              <Table.Td>{c.locale}</Table.Td>
              <Table.Td>{c.tier ?? ''}</Table.Td>
              <Table.Td>{matched(c.matched)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
