// The editor's problems, each at its field path and line: syntax errors, the server's own campaign
// rules run in the browser as the user types (shared/domain/campaign-validation.ts: the schema and
// the cross-field checks, imported, not copied), and what the server said when it refused.
import { validateCampaign } from '../../../../shared/domain/campaign-validation.js';
import { lineOf, locateJson, pathKey } from './json-locate.js';

export type IssueOrigin = 'syntax' | 'live' | 'server';

export interface FieldIssue {
  /** Dotted (`steps.0.template`); empty for the whole document. */
  path: string;
  message: string;
  line: number;
  origin: IssueOrigin;
}

export interface Checked {
  /** The parsed document when the text is JSON (valid or not as a campaign). */
  doc: unknown;
  json: boolean;
  lines: ReadonlyMap<string, number>;
  issues: FieldIssue[];
}

const NO_LINES: ReadonlyMap<string, number> = new Map();

/** The text checked as the server checks it. `tierIds`: the settings' tiers, when known. */
export function checkText(text: string, tierIds?: readonly string[]): Checked {
  const located = locateJson(text);
  if (!located.ok)
    return {
      doc: undefined,
      json: false,
      lines: NO_LINES,
      issues: [
        {
          path: '',
          message: `not JSON: ${located.message} (line ${located.line}, column ${located.column})`,
          line: located.line,
          origin: 'syntax',
        },
      ],
    };
  const result = validateCampaign(located.value, tierIds);
  return {
    doc: located.value,
    json: true,
    lines: located.lines,
    issues: result.ok
      ? []
      : result.issues.map((i) => ({
          path: pathKey(i.path),
          message: i.message,
          line: lineOf(located.lines, i.path),
          origin: 'live' as const,
        })),
  };
}

/** A problem document's `errors` (path as a dotted string, a JSON pointer or segments) at their lines. */
export function serverIssues(
  errors:
    | readonly { path?: string | readonly (string | number)[] | undefined; message: string }[]
    | undefined,
  lines: ReadonlyMap<string, number>,
): FieldIssue[] {
  return (errors ?? []).map((e) => {
    const segments =
      e.path === undefined
        ? []
        : typeof e.path === 'string'
          ? e.path
              .replace(/^\//, '')
              .split(/[./]/)
              .filter((s) => s.length > 0)
          : [...e.path];
    return { path: pathKey(segments), message: e.message, line: lineOf(lines, segments), origin: 'server' };
  });
}

/** Lines that carry at least one issue. */
export const issueLines = (issues: readonly FieldIssue[]): ReadonlySet<number> =>
  new Set(issues.map((i) => i.line));

/** The `id` of a parsed document, if it has a string one. */
export function docId(doc: unknown): string | undefined {
  if (typeof doc !== 'object' || doc === null || !('id' in doc)) return undefined;
  return typeof doc.id === 'string' ? doc.id : undefined;
}
