// Locally: a token field (the development token `touchpoint serve` prints, or
// `touchpoint users token <email>` for a user with a role). In the cloud: one button to Cognito.
import { Button, Container, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useSession } from '../auth';
import { ProblemAlert } from '../components/ProblemAlert';
import { defineMessages, useT } from '../i18n';

const messages = defineMessages({
  en: {
    title: 'Sign in to Touchpoint',
    token: 'Access token',
    tokenHelp: 'The development token `touchpoint serve` prints, or `touchpoint users token <email>`.',
    signIn: 'Sign in',
    cloud: 'Sign in with your organisation account.',
    failed: 'Sign-in failed',
  },
  'zh-CN': {
    title: '登录 Touchpoint',
    token: '访问令牌',
    tokenHelp: '`touchpoint serve` 打印的开发令牌，或 `touchpoint users token <email>` 生成的令牌。',
    signIn: '登录',
    cloud: '使用您的组织账户登录。',
    failed: '登录失败',
  },
});

export function SignInPage({ languagePicker }: { languagePicker: ReactNode }) {
  const t = useT(messages);
  const { config, signIn, error } = useSession();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Container size={420} py="xl" component="main">
      <Group justify="flex-end">{languagePicker}</Group>
      <Title order={1} size="h2" ta="center" my="lg">
        {t('title')}
      </Title>
      <Paper withBorder p="lg" radius="md">
        {config.auth.kind === 'local' ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setBusy(true);
              signIn(token).finally(() => setBusy(false));
            }}
          >
            <Stack>
              <PasswordInput
                label={t('token')}
                description={t('tokenHelp')}
                value={token}
                onChange={(e) => setToken(e.currentTarget.value)}
                required
                autoComplete="off"
              />
              <Button type="submit" loading={busy}>
                {t('signIn')}
              </Button>
            </Stack>
          </form>
        ) : (
          <Stack>
            <Text>{t('cloud')}</Text>
            <Button onClick={() => void signIn()}>{t('signIn')}</Button>
          </Stack>
        )}
        {error && (
          <Stack mt="md">
            <ProblemAlert error={new Error(error)} title={t('failed')} />
          </Stack>
        )}
      </Paper>
    </Container>
  );
}
