import '@mantine/core/styles.css';
import { Alert, Container, type CSSVariablesResolver, createTheme, MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { SessionProvider } from './auth';
import { type ConsoleConfig, loadConfig } from './config';
import { LanguageProvider } from './i18n';

// WCAG AA contrast (axe): white on Mantine's default blue (shade 6, and 7) is under 4.5:1, and so is
// its grey "dimmed" text on white; a shade darker each passes.
const theme = createTheme({ primaryShade: { light: 8, dark: 8 } });
const contrast: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { '--mantine-color-dimmed': t.colors.gray[7] ?? '#495057' },
  dark: {},
});

const root = createRoot(document.getElementById('root') ?? document.body);
const render = (config: ConsoleConfig | Error) =>
  root.render(
    <StrictMode>
      <MantineProvider theme={theme} cssVariablesResolver={contrast}>
        <LanguageProvider>
          {config instanceof Error ? (
            <Container py="xl">
              <Alert color="red" title="The console cannot start" role="alert">
                {config.message}
              </Alert>
            </Container>
          ) : (
            <SessionProvider config={config}>
              <App />
            </SessionProvider>
          )}
        </LanguageProvider>
      </MantineProvider>
    </StrictMode>,
  );

loadConfig().then(render, (e: unknown) => render(e instanceof Error ? e : new Error(String(e))));
