import '@mantine/core/styles.css';
import { Alert, Container, createTheme, MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { SessionProvider } from './auth';
import { type ConsoleConfig, loadConfig } from './config';
import { LanguageProvider } from './i18n';

// Mantine's default primary shade fails WCAG contrast for white text on light blue; one darker.
const theme = createTheme({ primaryShade: { light: 7, dark: 8 } });

const root = createRoot(document.getElementById('root') ?? document.body);
const render = (config: ConsoleConfig | Error) =>
  root.render(
    <StrictMode>
      <MantineProvider theme={theme}>
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
