// `GET`/`POST /u/{token}`: the unsubscribe link of every campaign email (RFC 8058) and its preference
// page. No login: the token is the authority (shared/domain/unsubscribe.ts), and API Gateway
// throttles the route. A POST with the body `List-Unsubscribe=One-Click` (or no choice) opts out
// of the link's topic; a POST from the page applies the choice; GET only shows. A forged or altered
// token is a 400 and changes nothing. docs/consent.md describes it.

import type { Context } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { MAX_ID_BYTES } from '../../domain/limits.js';
import {
  changePreferences,
  openPreferences,
  type PreferenceAction,
  type PreferenceDeps,
} from '../../usecases/consent/preferences.js';
import type { ApiDeps } from '../deps.js';
import { invalidLinkPage, oneClickText, type PageNote, preferencePage } from './page.js';

/** A one-click body is 26 bytes and the page's form a few topics: anything larger is not ours. */
const MAX_FORM_BYTES = 16 * 1024;
const MAX_FORM_TOPICS = 200;

/** The token is in the URL: no caching, no referrer, no framing, nothing loaded from elsewhere. */
function secure(c: Context): void {
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Frame-Options', 'DENY');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  );
}

type Form = Record<string, string | File | (string | File)[]>;

/** The page's choice, or one-click when the body names none (RFC 8058's `List-Unsubscribe=One-Click`). */
function actionOf(form: Form): PreferenceAction | undefined {
  const one = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const raw = form.action;
  const action = Array.isArray(raw) ? undefined : one(raw);
  if (action === undefined) return raw === undefined ? { kind: 'one-click' } : undefined;
  if (action === 'topic-off' || action === 'channel-off' || action === 'resubscribe') return { kind: action };
  if (action !== 'topics') return undefined;
  const topics = form.topic;
  const list = (Array.isArray(topics) ? topics : topics === undefined ? [] : [topics]).map(one);
  if (list.length > MAX_FORM_TOPICS || list.some((t) => t === undefined || t.length > MAX_ID_BYTES))
    return undefined;
  return { kind: 'topics', subscribed: list.filter((t): t is string => t !== undefined) };
}

/**
 * The POST's form, empty for another content type; undefined when the body does not parse as the
 * type it claims (multipart without a boundary, or not multipart at all), which parseBody throws on.
 */
async function formOf(c: Context): Promise<Form | undefined> {
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data'))
    return {};
  try {
    return await c.req.parseBody({ all: true });
  } catch {
    return undefined;
  }
}

export function unsubscribeRoutes(deps: {
  store: PreferenceDeps['store'];
  clock: PreferenceDeps['clock'];
  config: Pick<ApiDeps['config'], 'unsubscribeSecret'>;
}): Hono {
  const app = new Hono();
  const prefs = (): PreferenceDeps => ({
    store: deps.store,
    clock: deps.clock,
    secret: deps.config.unsubscribeSecret,
  });

  app.get('/u/:token', async (c) => {
    secure(c);
    const out = await openPreferences(prefs(), c.req.param('token'));
    if (!out.ok) return c.html(invalidLinkPage(), 400);
    return c.html(preferencePage(out.view));
  });

  app.post(
    '/u/:token',
    bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => c.text('request body too large', 413) }),
    async (c) => {
      secure(c);
      const form = await formOf(c);
      if (!form) return c.text('unreadable form: nothing changed', 400);
      const action = actionOf(form);
      if (!action) return c.text('unknown choice: nothing changed', 400);
      const out = await changePreferences(prefs(), c.req.param('token'), action);
      if (!out.ok && out.reason === 'invalid-link') return c.html(invalidLinkPage(), 400);
      if (!out.ok) return c.html(preferencePage(out.view, 'tooOld'), 409);
      if (action.kind === 'one-click') return c.text(oneClickText(out.view.locale), 200);
      const note: PageNote = out.changed > 0 ? 'done' : 'nothing';
      return c.html(preferencePage(out.view, note));
    },
  );
  return app;
}
