// The campaign document as JSON, checked as the user types with the server's own rules (in the
// browser), then by the server itself after a pause (POST /campaigns/validate: the settings' tiers
// and the unsubscribe-link rule), and applied (POST /campaigns or PUT /campaigns/{id}). Every problem
// is listed as `path: message` with its line, marked in the text, and a click puts the caret there.
import { Badge, Button, Grid, Group, List, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../api';
import { useApi } from '../../auth';
import { ProblemAlert } from '../../components/ProblemAlert';
import { RoleGate } from '../../components/RoleGate';
import { defineMessages, useT } from '../../i18n';
import { summarize } from './doc-view';
import { checkText, docId, type FieldIssue, issueLines, serverIssues } from './issues';
import { focusLine, JsonTextarea } from './JsonTextarea';
import { Summary } from './Summary';
import { type CampaignRecord, recordSchema, validSchema } from './schemas';

const SERVER_CHECK_DELAY_MS = 700;

const messages = defineMessages({
  en: {
    json: 'Campaign document (JSON)',
    jsonHelp: 'Checked as you type with the same rules the server applies.',
    problems: 'Problems',
    noProblems: 'No problems found.',
    line: 'line {line}',
    document: '(document)',
    live: 'in the browser',
    server: 'server',
    syntax: 'JSON',
    serverChecking: 'The server is checking…',
    serverValid: 'The server accepts this document.',
    serverInvalid: 'The server refuses this document.',
    serverWaiting: 'The server checks once the browser finds no problem.',
    apply: 'Apply',
    applyNew: 'Create campaign',
    applied: 'Applied: version {version} is current.',
    refused: 'The server refused the document',
  },
  'zh-CN': {
    json: '营销活动文档（JSON）',
    jsonHelp: '输入时即按服务器的同一套规则检查。',
    problems: '问题',
    noProblems: '未发现问题。',
    line: '第 {line} 行',
    document: '（整个文档）',
    live: '浏览器',
    server: '服务器',
    syntax: 'JSON',
    serverChecking: '服务器正在检查…',
    serverValid: '服务器接受此文档。',
    serverInvalid: '服务器拒绝此文档。',
    serverWaiting: '浏览器未发现问题后，再由服务器检查。',
    apply: '应用',
    applyNew: '创建营销活动',
    applied: '已应用：当前为第 {version} 版。',
    refused: '服务器拒绝了此文档',
  },
});

type ServerCheck =
  | { state: 'idle' | 'checking' | 'valid' }
  | { state: 'invalid'; issues: FieldIssue[] }
  | { state: 'failed'; error: unknown };

const dedupe = (issues: readonly FieldIssue[]): FieldIssue[] => {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};

export interface DocumentEditorProps {
  /** Absent: a new campaign (POST). */
  id?: string;
  text: string;
  onText(text: string): void;
  tierIds?: readonly string[];
  onApplied(record: CampaignRecord): void;
}

export function DocumentEditor({ id, text, onText, tierIds, onApplied }: DocumentEditorProps) {
  const t = useT(messages);
  const api = useApi();
  const deferred = useDeferredValue(text);
  const checked = useMemo(() => checkText(deferred, tierIds), [deferred, tierIds]);
  const [server, setServer] = useState<ServerCheck>({ state: 'idle' });
  const [applyError, setApplyError] = useState<unknown>();
  const [applyIssues, setApplyIssues] = useState<FieldIssue[]>([]);
  const [applied, setApplied] = useState<number>();
  const [busy, setBusy] = useState(false);
  const textarea = useRef<HTMLTextAreaElement>(null);

  // The server's check, once the browser's passes and the text has been still for a moment.
  useEffect(() => {
    setApplyIssues([]);
    setApplyError(undefined);
    if (!checked.json || checked.issues.length > 0) {
      setServer({ state: 'idle' });
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      setServer({ state: 'checking' });
      api.send('POST', '/campaigns/validate', checked.doc, validSchema).then(
        () => current && setServer({ state: 'valid' }),
        (e: unknown) => {
          if (!current) return;
          if (e instanceof ApiError && e.problem.errors && e.problem.errors.length > 0)
            setServer({ state: 'invalid', issues: serverIssues(e.problem.errors, checked.lines) });
          else setServer({ state: 'failed', error: e });
        },
      );
    }, SERVER_CHECK_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, checked]);

  const issues = dedupe([
    ...checked.issues,
    ...(server.state === 'invalid' ? server.issues : []),
    ...applyIssues,
  ]);
  const lines = useMemo(() => issueLines(issues), [issues]);
  const summary = useMemo(() => summarize(checked.doc), [checked.doc]);

  const apply = async () => {
    const parsed = checkText(text, tierIds);
    if (!parsed.json) return;
    setBusy(true);
    setApplyError(undefined);
    setApplyIssues([]);
    try {
      const record = id
        ? await api.send('PUT', `/campaigns/${encodeURIComponent(id)}`, parsed.doc, recordSchema)
        : await api.send('POST', '/campaigns', parsed.doc, recordSchema);
      setApplied(record.version);
      onApplied(record);
    } catch (e) {
      setApplyError(e);
      if (e instanceof ApiError) setApplyIssues(serverIssues(e.problem.errors, parsed.lines));
    } finally {
      setBusy(false);
    }
  };

  const problemsId = 'campaign-editor-problems';
  const originLabel = { syntax: t('syntax'), live: t('live'), server: t('server') } as const;
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Stack gap="sm">
          <JsonTextarea
            id="campaign-json"
            label={t('json')}
            description={t('jsonHelp')}
            value={text}
            onChange={onText}
            problemLines={lines}
            problemsId={problemsId}
            textareaRef={textarea}
          />
          <RoleGate needs="editor">
            <Group>
              <Button
                data-testid="apply"
                onClick={() => void apply()}
                loading={busy}
                disabled={!checked.json || docId(checked.doc) === undefined}
              >
                {id ? t('apply') : t('applyNew')}
              </Button>
              {applied !== undefined && !applyError && (
                <Text size="sm" role="status" data-testid="applied">
                  {t('applied', { version: applied })}
                </Text>
              )}
            </Group>
          </RoleGate>
          {applyError !== undefined && <ProblemAlert error={applyError} title={t('refused')} />}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Stack gap="md">
          <section aria-labelledby={`${problemsId}-title`}>
            <Title order={3} size="h4" id={`${problemsId}-title`} mb="xs">
              {t('problems')} <Badge variant="light">{issues.length}</Badge>
            </Title>
            <div id={problemsId} data-testid="editor-errors" aria-live="polite">
              {issues.length === 0 ? (
                <Text size="sm">{t('noProblems')}</Text>
              ) : (
                <List size="sm" spacing={4} listStyleType="none" ml={0} pl={0}>
                  {issues.map((i) => (
                    <List.Item key={`${i.origin}|${i.path}|${i.message}`}>
                      <UnstyledButton
                        onClick={() => textarea.current && focusLine(textarea.current, i.line)}
                        data-testid="editor-error"
                        data-path={i.path}
                        fz="sm"
                        style={{ textAlign: 'left' }}
                      >
                        <Text span size="sm" fw={600} c="red.9">
                          {t('line', { line: i.line })}
                        </Text>{' '}
                        <code>{i.path || t('document')}</code>: {i.message}{' '}
                        <Text span size="xs" c="dimmed">
                          ({originLabel[i.origin]})
                        </Text>
                      </UnstyledButton>
                    </List.Item>
                  ))}
                </List>
              )}
            </div>
            <Text size="sm" mt="xs" role="status" data-testid="server-check" data-state={server.state}>
              {server.state === 'checking' && t('serverChecking')}
              {server.state === 'valid' && t('serverValid')}
              {server.state === 'invalid' && t('serverInvalid')}
              {server.state === 'idle' && checked.issues.length > 0 && t('serverWaiting')}
            </Text>
            {server.state === 'failed' && <ProblemAlert error={server.error} />}
          </section>
          {checked.json && <Summary summary={summary} />}
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
