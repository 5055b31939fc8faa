// GET /reference: the API reference as one plain HTML page, generated on the server from the ops
// routes' OpenAPI document (no CDN, no script). The full document, webhooks included, is /openapi.json.
import type { OpenAPIHono } from '@hono/zod-openapi';

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

export function referencePage(api: OpenAPIHono): string {
  const doc = api.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'Touchpoint marketing-ops API', version: '1.0.0' },
  });
  const rows: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const statuses = Object.keys(op.responses ?? {}).join(' ');
      rows.push(
        `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td>` +
          `<td>${escapeHtml(op.summary ?? '')}</td><td>${escapeHtml((op.tags ?? []).join(', '))}</td><td>${escapeHtml(statuses)}</td></tr>`,
      );
    }
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Touchpoint API reference</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style>
</head><body>
<h1>Touchpoint API reference</h1>
<p>Every ops route needs <code>Authorization: Bearer &lt;token&gt;</code> locally (IAM through API Gateway in the cloud).
Errors are RFC 9457 problem JSON. Schemas: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1, webhooks included).</p>
<table><thead><tr><th>method</th><th>path</th><th>what</th><th>tag</th><th>responses</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
</body></html>`;
}
