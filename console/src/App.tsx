// The shell: header (language, who is signed in and as what, sign out), navigation (a drawer below
// 48em, so the console works at 390 px), and the pages on hash routes (/console/#/campaigns …), which
// a static host serves without rewrites.
import { AppShell, Badge, Burger, Button, Group, NativeSelect, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Redirect, Route, Router, Switch, useLocation } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { useSession } from './auth';
import { defineMessages, LANGUAGES, type Language, useLanguage, useT } from './i18n';
import { AuditPage } from './pages/Audit';
import { CalendarDayPage, CalendarPage } from './pages/Calendar';
import { CampaignEditPage, CampaignsPage } from './pages/Campaigns';
import { CustomerPage, CustomersPage } from './pages/Customers';
import { PartnersPage } from './pages/Partners';
import { ResultsPage } from './pages/Results';
import { SignInPage } from './pages/SignIn';

const messages = defineMessages({
  en: {
    product: 'Touchpoint',
    campaigns: 'Campaigns',
    calendar: 'What goes out',
    customers: 'Customers',
    results: 'Results',
    partners: 'Partners',
    audit: 'Audit log',
    signOut: 'Sign out',
    language: 'Language',
    navigation: 'Navigation',
    toggleNavigation: 'Toggle navigation',
    admin: 'admin',
    editor: 'editor',
    viewer: 'viewer',
  },
  'zh-CN': {
    product: 'Touchpoint',
    campaigns: '营销活动',
    calendar: '发送日历',
    customers: '客户',
    results: '效果',
    partners: '合作伙伴',
    audit: '审计日志',
    signOut: '退出登录',
    language: '语言',
    navigation: '导航',
    toggleNavigation: '切换导航',
    admin: '管理员',
    editor: '编辑',
    viewer: '只读',
  },
});

const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', 'zh-CN': '简体中文' };

const NAV = [
  ['/campaigns', 'campaigns'],
  ['/calendar', 'calendar'],
  ['/customers', 'customers'],
  ['/results', 'results'],
  ['/partners', 'partners'],
  ['/audit', 'audit'],
] as const;

function LanguagePicker() {
  const { language, setLanguage } = useLanguage();
  const t = useT(messages);
  return (
    <NativeSelect
      aria-label={t('language')}
      w={104}
      size="xs"
      value={language}
      data={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
      onChange={(e) => {
        const v = e.currentTarget.value;
        if (v === 'en' || v === 'zh-CN') setLanguage(v);
      }}
    />
  );
}

function Shell() {
  const t = useT(messages);
  const { me, signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const [location] = useLocation();
  if (!me) return <SignInPage languagePicker={<LanguagePicker />} />;
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('toggleNavigation')}
            />
            <Title order={1} size="h4">
              {t('product')}
            </Title>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LanguagePicker />
            <Text size="sm" visibleFrom="sm" data-testid="who">
              {me.name}
            </Text>
            <Badge variant="light" data-testid="role" visibleFrom="sm">
              {t(me.role)}
            </Badge>
            <Button size="xs" variant="subtle" onClick={signOut}>
              {t('signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('navigation')}>
        {/* Below 48em the header has no room for who is signed in: the drawer says it. */}
        <Group hiddenFrom="sm" gap="xs" px="sm" pb="xs">
          <Text size="sm">{me.name}</Text>
          <Badge variant="light">{t(me.role)}</Badge>
        </Group>
        {NAV.map(([href, key]) => (
          <NavLink
            key={href}
            href={`#${href}`}
            label={t(key)}
            // Filled: white on the primary shade passes AA; the light variant's blue on pale blue does not.
            variant="filled"
            active={location === href || location.startsWith(`${href}/`)}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Switch>
          <Route path="/campaigns" component={CampaignsPage} />
          <Route path="/campaigns/new">{() => <CampaignEditPage />}</Route>
          <Route path="/campaigns/:id">{(p) => <CampaignEditPage id={p.id} />}</Route>
          <Route path="/calendar" component={CalendarPage} />
          <Route path="/calendar/:date">{(p) => <CalendarDayPage date={p.date} />}</Route>
          <Route path="/customers" component={CustomersPage} />
          <Route path="/customers/:id">{(p) => <CustomerPage id={p.id} />}</Route>
          <Route path="/results" component={ResultsPage} />
          <Route path="/partners" component={PartnersPage} />
          <Route path="/audit" component={AuditPage} />
          <Route>
            <Redirect to="/campaigns" />
          </Route>
        </Switch>
      </AppShell.Main>
    </AppShell>
  );
}

export function App() {
  return (
    <Router hook={useHashLocation}>
      <Shell />
    </Router>
  );
}
