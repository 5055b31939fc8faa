// Partners (#/partners): the webhook partners (GET /partners, never a secret), each one's recent
// events and refusals, and for an admin: add, rotate and revoke. A new secret is shown once, in a
// modal; rotate and revoke are confirmed by typing the partner's id. The API enforces the role.
import { Alert, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../auth';
import { ProblemAlert } from '../components/ProblemAlert';
import { RoleGate } from '../components/RoleGate';
import { useLoad } from '../components/useLoad';
import { useFormat, useT } from '../i18n';
import { PartnerActivity } from './partners/Activity';
import { AddPartner } from './partners/AddPartner';
import { type Confirming, ConfirmModal } from './partners/ConfirmModal';
import { messages } from './partners/messages';
import { SecretModal } from './partners/SecretModal';
import { partnerListSchema, revokedSchema, type SecretAnswer, secretAnswerSchema } from './partners/schemas';

export function PartnersPage() {
  const t = useT(messages);
  const f = useFormat();
  const api = useApi();
  const list = useLoad(() => api.get('/partners', partnerListSchema), [api]);
  const [secret, setSecret] = useState<{ answer: SecretAnswer; now: boolean }>();
  const [confirming, setConfirming] = useState<Confirming>();
  const [revoked, setRevoked] = useState<{ id: string; at: string }>();
  const [shown, setShown] = useState<string>();

  const confirm = async (c: NonNullable<Confirming>, now: boolean) => {
    const path = `/partners/${encodeURIComponent(c.id)}`;
    if (c.action === 'rotate') {
      const answer = await api.send(
        'POST',
        `${path}/rotate${now ? '?now=true' : ''}`,
        undefined,
        secretAnswerSchema,
      );
      setConfirming(undefined);
      setRevoked(undefined);
      setSecret({ answer, now });
    } else {
      const answer = await api.send('POST', `${path}/revoke`, undefined, revokedSchema);
      setConfirming(undefined);
      setRevoked({ id: answer.id, at: answer.revokedAt });
    }
    list.reload();
  };

  const partners = list.data?.partners ?? [];
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <Title order={2}>{t('title')}</Title>
        <RoleGate needs="admin">
          <AddPartner
            onAdded={(answer) => {
              setRevoked(undefined);
              setSecret({ answer, now: false });
              list.reload();
            }}
          />
        </RoleGate>
      </Group>
      <Text>{t('intro')}</Text>
      <ProblemAlert error={list.error} />
      {revoked && (
        <Alert color="orange" role="status" data-testid="partner-revoked">
          {t('revoked', { id: revoked.id, at: f.dateTime(revoked.at) })}
        </Alert>
      )}
      {list.loading && !list.data && <Loader size="sm" role="status" aria-label={t('loading')} />}
      {list.data && partners.length === 0 && <Text>{t('none')}</Text>}
      {partners.length > 0 && (
        <Table.ScrollContainer minWidth={760} type="native" tabIndex={0}>
          <Table highlightOnHover captionSide="top" data-testid="partners">
            <Table.Caption c="gray.7" ta="left">
              {t('list')}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('id')}</Table.Th>
                <Table.Th>{t('actions')}</Table.Th>
                <Table.Th>{t('validSecrets')}</Table.Th>
                <Table.Th>{t('created')}</Table.Th>
                <Table.Th>{t('secretCreated')}</Table.Th>
                <Table.Th>{t('previousUntil')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {partners.map((p) => (
                <Table.Tr key={p.id} data-testid={`partner-row-${p.id}`}>
                  <Table.Td>
                    <code>{p.id}</code>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button
                        size="compact-sm"
                        variant={shown === p.id ? 'filled' : 'light'}
                        aria-pressed={shown === p.id}
                        aria-label={t(shown === p.id ? 'hideActivity' : 'showActivity', { id: p.id })}
                        onClick={() => setShown(shown === p.id ? undefined : p.id)}
                        data-testid={`activity-${p.id}`}
                      >
                        {t('activity')}
                      </Button>
                      <RoleGate needs="admin">
                        <Button
                          size="compact-sm"
                          variant="default"
                          aria-label={t('rotateLabel', { id: p.id })}
                          onClick={() => setConfirming({ action: 'rotate', id: p.id })}
                          data-testid={`rotate-${p.id}`}
                        >
                          {t('rotate')}
                        </Button>
                        <Button
                          size="compact-sm"
                          color="red"
                          variant="light"
                          aria-label={t('revokeLabel', { id: p.id })}
                          onClick={() => setConfirming({ action: 'revoke', id: p.id })}
                          data-testid={`revoke-${p.id}`}
                        >
                          {t('revoke')}
                        </Button>
                      </RoleGate>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {p.validSecrets === 0 ? (
                      <Text span c="red.9" fw={600} data-testid={`partner-valid-${p.id}`}>
                        {f.number(0)} · {t('noSecret')}
                      </Text>
                    ) : (
                      <Text span data-testid={`partner-valid-${p.id}`}>
                        {f.number(p.validSecrets)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{f.dateTime(p.createdAt)}</Table.Td>
                  <Table.Td>{p.secretCreatedAt === undefined ? '–' : f.dateTime(p.secretCreatedAt)}</Table.Td>
                  <Table.Td>
                    {p.previousValidUntil === undefined ? '–' : f.dateTime(p.previousValidUntil)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {shown !== undefined && partners.some((p) => p.id === shown) && <PartnerActivity id={shown} />}
      <ConfirmModal confirming={confirming} onCancel={() => setConfirming(undefined)} onConfirm={confirm} />
      <SecretModal
        answer={secret?.answer}
        rotatedNow={secret?.now ?? false}
        onClose={() => setSecret(undefined)}
      />
    </Stack>
  );
}
