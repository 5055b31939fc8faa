// A refused or failed call, as the API said it (RFC 9457): its title, detail and each error's path.
import { Alert, List } from '@mantine/core';
import { ApiError, errorPath } from '../api';

export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  if (error === undefined || error === null) return null;
  if (error instanceof ApiError) {
    const p = error.problem;
    return (
      <Alert color="red" title={title ?? p.title ?? `HTTP ${error.status}`} role="alert">
        {p.detail}
        {p.errors && p.errors.length > 0 && (
          <List size="sm" mt="xs">
            {p.errors.map((e, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: errors have no id and never reorder
              <List.Item key={i}>
                {errorPath(e.path) && <code>{errorPath(e.path)}</code>} {e.message}
              </List.Item>
            ))}
          </List>
        )}
      </Alert>
    );
  }
  return (
    <Alert color="red" title={title ?? 'Error'} role="alert">
      {error instanceof Error ? error.message : String(error)}
    </Alert>
  );
}
