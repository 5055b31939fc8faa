// bench/RESULTS.md holds one section per benchmark between HTML-comment markers, so each bench
// rewrites its own section and leaves the others as they were measured.
import { readFileSync, writeFileSync } from 'node:fs';

/** Replaces (or appends) the section named `name` of the results file. */
export function writeResultsSection(resultsPath: string, name: string, body: string): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${start}\n${body.trim()}\n${end}`;
  let text = '';
  try {
    text = readFileSync(resultsPath, 'utf8');
  } catch {
    text = '';
  }
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  const next =
    from >= 0 && to > from
      ? `${text.slice(0, from)}${section}${text.slice(to + end.length)}`
      : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(resultsPath, next);
}
