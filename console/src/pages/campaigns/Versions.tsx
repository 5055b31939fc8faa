// The stored versions of a campaign (each immutable) and a line diff of any two, marked `+`/`-` in
// the text as well as by colour. An older version can be loaded into the editor to apply it again.
import {
  Badge,
  Box,
  Button,
  Group,
  NativeSelect,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useApi } from '../../auth';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLoad } from '../../components/useLoad';
import { defineMessages, useFormat, useT } from '../../i18n';
import { diffDocuments } from './doc-view';
import { versionSchema, versionsSchema } from './schemas';

const messages = defineMessages({
  en: {
    title: 'Versions',
    version: 'Version',
    updated: 'Stored at',
    current: 'current',
    from: 'Compare version',
    to: 'with version',
    diffTitle: 'Changes from version {from} to version {to}',
    counts: '{added} line(s) added (+), {removed} line(s) removed (-)',
    same: 'The two versions are the same.',
    open: 'Load version {version} into the editor',
    diffLabel: 'Line diff of the two versions',
  },
  'zh-CN': {
    title: '版本',
    version: '版本',
    updated: '保存时间',
    current: '当前',
    from: '比较版本',
    to: '与版本',
    diffTitle: '从第 {from} 版到第 {to} 版的变化',
    counts: '新增 {added} 行（+），删除 {removed} 行（-）',
    same: '两个版本相同。',
    open: '将第 {version} 版载入编辑器',
    diffLabel: '两个版本的逐行差异',
  },
});

const SIGN_STYLE = {
  '+': { background: 'var(--mantine-color-green-light)' },
  '-': { background: 'var(--mantine-color-red-light)' },
  ' ': {},
} as const;

export function Versions({ id, onOpen }: { id: string; onOpen(doc: unknown): void }) {
  const t = useT(messages);
  const f = useFormat();
  const api = useApi();
  const path = `/campaigns/${encodeURIComponent(id)}/versions`;
  const list = useLoad(() => api.get(path, versionsSchema), [api, path]);
  const versions = list.data?.versions ?? [];
  const current = versions.find((v) => v.current)?.version ?? versions[0]?.version;
  const [fromChoice, setFrom] = useState<number>();
  const [toChoice, setTo] = useState<number>();
  const to = toChoice ?? current;
  const from = fromChoice ?? versions.find((v) => to !== undefined && v.version < to)?.version ?? to;
  const docs = useLoad(async () => {
    if (from === undefined || to === undefined) return undefined;
    const [a, b] = await Promise.all([
      api.get(`${path}/${from}`, versionSchema),
      api.get(`${path}/${to}`, versionSchema),
    ]);
    return { from: a.campaign, to: b.campaign };
  }, [api, path, from, to]);
  const diff = docs.data ? diffDocuments(docs.data.from, docs.data.to) : undefined;
  const options = versions.map((v) => ({ value: String(v.version), label: String(v.version) }));

  return (
    <Stack gap="md">
      <Title order={3} size="h4">
        {t('title')}
      </Title>
      <ProblemAlert error={list.error} />
      <Table.ScrollContainer minWidth={320}>
        <Table striped withTableBorder data-testid="versions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('version')}</Table.Th>
              <Table.Th>{t('updated')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {versions.map((v) => (
              <Table.Tr key={v.version} data-testid={`version-${v.version}`}>
                <Table.Td>
                  <Group gap="xs">
                    {v.version}
                    {v.current && (
                      <Badge size="sm" variant="light">
                        {t('current')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{v.updatedAt ? f.dateTime(v.updatedAt) : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {versions.length > 0 && (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label={t('from')}
            value={String(from ?? '')}
            data={options}
            onChange={(e) => setFrom(Number(e.currentTarget.value))}
            data-testid="diff-from"
          />
          <NativeSelect
            label={t('to')}
            value={String(to ?? '')}
            data={options}
            onChange={(e) => setTo(Number(e.currentTarget.value))}
            data-testid="diff-to"
          />
        </SimpleGrid>
      )}
      <ProblemAlert error={docs.error} />
      {diff && from !== undefined && to !== undefined && (
        <Stack gap="xs">
          <Title order={4} size="h5">
            {t('diffTitle', { from, to })}
          </Title>
          <Text size="sm" data-testid="diff-counts">
            {diff.added + diff.removed === 0
              ? t('same')
              : t('counts', { added: f.number(diff.added), removed: f.number(diff.removed) })}
          </Text>
          <Box
            role="region"
            aria-label={t('diffLabel')}
            tabIndex={0}
            style={{
              maxHeight: 480,
              overflow: 'auto',
              border: '1px solid var(--mantine-color-default-border)',
              borderRadius: 'var(--mantine-radius-sm)',
            }}
          >
            <pre data-testid="diff" style={{ margin: 0, fontSize: 13 }}>
              {diff.lines.map((l, i) => (
                <span
                  // biome-ignore lint/suspicious/noArrayIndexKey: the diff is rebuilt whole; position is identity
                  key={i}
                  data-sign={l.sign === ' ' ? undefined : l.sign}
                  style={{ ...SIGN_STYLE[l.sign], display: 'block', padding: '0 8px' }}
                >
                  {`${l.sign} ${l.text}`}
                </span>
              ))}
            </pre>
          </Box>
          {docs.data && from !== to && (
            <Group>
              <Button
                variant="default"
                onClick={() => docs.data && onOpen(docs.data.from)}
                data-testid="open-version"
              >
                {t('open', { version: from })}
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Stack>
  );
}
