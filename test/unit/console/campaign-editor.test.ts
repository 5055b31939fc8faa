// The console's campaign editor logic (pure, no browser): fields found by line in the JSON text,
// the server's campaign rules run as the user types with each issue at its path and line, the
// server's problem errors placed the same way, the version diff and the list's next sends.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffDocuments, summarize, templateLocales } from '../../../console/src/pages/campaigns/doc-view.js';
import { checkText, serverIssues } from '../../../console/src/pages/campaigns/issues.js';
import { lineOf, locateJson } from '../../../console/src/pages/campaigns/json-locate.js';
import { nextSendsByCampaign } from '../../../console/src/pages/campaigns/schemas.js';

const example = readFileSync(
  new URL('../../../examples/campaigns/contract-renewal.json', import.meta.url),
  'utf8',
);
const pretty = (doc: unknown) => JSON.stringify(doc, null, 2);

describe('locating fields in JSON text', () => {
  it('gives the line of every key and array item, and the nearest ancestor for a missing one', () => {
    const text = '{\n  "id": "a",\n  "steps": [\n    { "id": "s1",\n      "template": "t" }\n  ]\n}';
    const located = locateJson(text);
    if (!located.ok) throw new Error(located.message);
    expect(located.value).toEqual(JSON.parse(text));
    expect(lineOf(located.lines, ['id'])).toBe(2);
    expect(lineOf(located.lines, ['steps'])).toBe(3);
    expect(lineOf(located.lines, ['steps', 0])).toBe(4);
    expect(lineOf(located.lines, ['steps', 0, 'template'])).toBe(5);
    expect(lineOf(located.lines, ['steps', 0, 'channels', 'gold'])).toBe(4);
    expect(lineOf(located.lines, ['nowhere'])).toBe(1);
  });

  it('reports a syntax error at its line and column', () => {
    expect(locateJson('{\n  "id": "a",\n  "name": "b",\n}')).toMatchObject({ ok: false, line: 4, column: 1 });
    expect(locateJson('{\n  "id": "a"\n  "name": "b"\n}')).toMatchObject({ ok: false, line: 3 });
    expect(locateJson('{ "id": "a" } x')).toMatchObject({
      ok: false,
      message: 'unexpected text after the document',
    });
    expect(locateJson('')).toMatchObject({ ok: false, line: 1 });
  });
});

describe('checking the text as the server does', () => {
  it('passes the worked example and refuses the same document with an error at its field', () => {
    expect(checkText(example).issues).toEqual([]);
    const doc = JSON.parse(example);
    doc.steps[1].template = 'no-such-template';
    doc.priority = 'high';
    const text = pretty(doc);
    const checked = checkText(text);
    const lines = text.split('\n');
    const at = (path: string) => checked.issues.find((i) => i.path === path);
    expect(at('priority')?.origin).toBe('live');
    expect(lines[(at('priority')?.line ?? 0) - 1]).toContain('"priority": "high"');
    expect(at('steps.1.template')?.message).toBe('no template named no-such-template');
    expect(lines[(at('steps.1.template')?.line ?? 0) - 1]).toContain('"template": "no-such-template"');
  });

  it("refuses a tier the settings lack only when the settings' tiers are known", () => {
    expect(checkText(example, ['key', 'business', 'standard']).issues).toEqual([]);
    expect(checkText(example, ['gold']).issues.map((i) => i.path)).toContain('steps.0.channels.key');
  });

  it('says a text is not JSON, at its line', () => {
    const checked = checkText('{\n  "id": \n}');
    expect(checked).toMatchObject({ json: false, issues: [{ origin: 'syntax', line: 3, path: '' }] });
  });

  it("places the server's errors (dotted paths or JSON pointers) at their lines", () => {
    const located = checkText(example);
    const issues = serverIssues(
      [
        { path: 'steps.1.template', message: 'x' },
        { path: '/templates/renewal-offer', message: 'y' },
        { message: 'whole' },
      ],
      located.lines,
    );
    const lines = example.split('\n');
    expect(issues.map((i) => [i.path, i.origin])).toEqual([
      ['steps.1.template', 'server'],
      ['templates.renewal-offer', 'server'],
      ['', 'server'],
    ]);
    expect(lines[(issues[0]?.line ?? 0) - 1]).toContain('"template"');
    expect(lines[(issues[1]?.line ?? 0) - 1]).toContain('"renewal-offer"');
    expect(issues[2]?.line).toBe(1);
  });
});

describe('views of a document', () => {
  it('summarizes what parses, even when the rest does not', () => {
    const s = summarize({ id: 'x', priority: 'high', steps: [{ id: 's', offsetDays: 1, template: 't' }, 7] });
    expect(s).toMatchObject({ id: 'x', priority: undefined, steps: [{ id: 's', channels: {} }] });
    const full = summarize(JSON.parse(example));
    expect(templateLocales(full, full.steps[0]?.template ?? '', 'email')).toEqual(['en-US', 'zh-CN']);
  });

  it('diffs two versions line by line, marking added and removed lines with + and -', () => {
    const older = { id: 'a', priority: 1, name: 'n' };
    const { lines, added, removed } = diffDocuments(older, { ...older, priority: 2 });
    expect(lines).toEqual([
      { sign: ' ', text: '{' },
      { sign: ' ', text: '  "id": "a",' },
      { sign: '-', text: '  "priority": 1,' },
      { sign: '+', text: '  "priority": 2,' },
      { sign: ' ', text: '  "name": "n"' },
      { sign: ' ', text: '}' },
    ]);
    expect([added, removed]).toEqual([1, 1]);
  });

  it('counts next sends per campaign from the calendar, with the first day', () => {
    const next = nextSendsByCampaign({
      days: [
        {
          date: '2026-11-27',
          groups: [
            { campaignId: 'a', touches: 2 },
            { campaignId: 'b', touches: 0 },
          ],
        },
        { date: '2026-11-26', groups: [{ campaignId: 'a', touches: 1 }] },
      ],
    });
    expect(Object.fromEntries(next)).toEqual({ a: { touches: 3, first: '2026-11-26' } });
  });
});
