// A customer's profile and tier, contracts, and consent with its history (the view's parts).
import { Badge, Group, Paper, SimpleGrid, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useFormat, useT } from '../../i18n';
import { useLabel } from '../calendar/labels';
import { ScrollTable } from '../calendar/ScrollTable';
import { messages } from './messages';
import type { CustomerView } from './schemas';

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div data-testid={testId}>
      <Text size="xs" c="gray.7">
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  );
}

export function ProfileSection({ view }: { view: CustomerView }) {
  const t = useT(messages);
  const fmt = useFormat();
  const c = view.customer;
  return (
    <Paper withBorder p="md" data-testid="customer-profile">
      <Title order={3} size="h4" mb="sm">
        {t('profile')}
      </Title>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Field label={t('id')}>{c.id}</Field>
        <Field label={t('name')}>{c.name ?? '–'}</Field>
        <Field label={t('email')}>{c.email ?? '–'}</Field>
        <Field label={t('phone')}>{c.phone ?? '–'}</Field>
        <Field label={t('locale')}>{c.locale}</Field>
        <Field label={t('timeZone')}>{c.timeZone}</Field>
        <Field label={t('birthday')}>{c.birthday ?? '–'}</Field>
        <Field label={t('lastActivity')}>{c.lastActivityAt ? fmt.dateTime(c.lastActivityAt) : '–'}</Field>
        <Field label={t('tier')} testId="customer-tier">
          <Badge variant="light" c="dark.8">
            {view.tier ?? t('noTier')}
          </Badge>
        </Field>
        <Field label={t('monthlySpend')}>{fmt.number(c.monthlyValue)}</Field>
      </SimpleGrid>
    </Paper>
  );
}

export function ContractsSection({ view }: { view: CustomerView }) {
  const t = useT(messages);
  const fmt = useFormat();
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h4" mb="sm">
        {t('contracts')}
      </Title>
      {view.contracts.length === 0 ? (
        <Text>{t('noContracts')}</Text>
      ) : (
        <ScrollTable minWidth={520} label={t('contracts')}>
          <Table striped data-testid="customer-contracts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('id')}</Table.Th>
                <Table.Th scope="col">{t('product')}</Table.Th>
                <Table.Th scope="col">{t('start')}</Table.Th>
                <Table.Th scope="col">{t('end')}</Table.Th>
                <Table.Th scope="col">{t('status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {view.contracts.map((k) => (
                <Table.Tr key={k.id}>
                  <Table.Td>{k.id}</Table.Td>
                  <Table.Td>{k.product}</Table.Td>
                  <Table.Td>{fmt.date(k.startDate)}</Table.Td>
                  <Table.Td>{fmt.date(k.endDate)}</Table.Td>
                  <Table.Td>{k.status}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Paper>
  );
}

export function ConsentSection({ view }: { view: CustomerView }) {
  const t = useT(messages);
  const fmt = useFormat();
  const label = useLabel();
  const yesNo = (v: boolean) => (
    <Badge variant="light" c="dark.8" color={v ? 'green' : 'gray'}>
      {v ? t('granted') : t('refused')}
    </Badge>
  );
  const topics = Object.entries(view.consent.topics);
  return (
    <Paper withBorder p="md" data-testid="customer-consent">
      <Title order={3} size="h4" mb="sm">
        {t('consent')}
      </Title>
      <Group gap="lg" mb="md">
        <Text size="sm" component="div" data-testid="consent-email">
          {label('email')}: {yesNo(view.consent.email)}
        </Text>
        <Text size="sm" component="div" data-testid="consent-sms">
          {label('sms')}: {yesNo(view.consent.sms)}
        </Text>
        {topics.length > 0 && (
          <Text size="sm">
            {t('topics')}: {topics.map(([k, v]) => `${k} ${v ? t('granted') : t('refused')}`).join(', ')}
          </Text>
        )}
      </Group>
      <Title order={4} size="h5" mb="xs">
        {t('consentHistory')}
      </Title>
      {view.consentHistory.length === 0 ? (
        <Text size="sm">{t('noHistory')}</Text>
      ) : (
        <ScrollTable minWidth={640} label={t('consentHistory')}>
          <Table striped data-testid="consent-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('at')}</Table.Th>
                <Table.Th scope="col">{t('channel')}</Table.Th>
                <Table.Th scope="col">{t('topic')}</Table.Th>
                <Table.Th scope="col">{t('change')}</Table.Th>
                <Table.Th scope="col">{t('source')}</Table.Th>
                <Table.Th scope="col">{t('evidence')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {view.consentHistory.map((e) => (
                <Table.Tr key={`${e.at}/${e.channel}/${e.topic ?? ''}/${e.source}`}>
                  <Table.Td>{fmt.dateTime(e.at)}</Table.Td>
                  <Table.Td>{label(e.channel)}</Table.Td>
                  <Table.Td>{e.topic ?? '–'}</Table.Td>
                  <Table.Td>{e.value ? t('optIn') : t('optOut')}</Table.Td>
                  <Table.Td>{e.source}</Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{e.evidence ?? ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Paper>
  );
}
