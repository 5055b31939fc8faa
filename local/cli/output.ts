// Human output as aligned tables; --json output as one JSON document on stdout.
export interface Out {
  json: boolean;
  /** Writes the machine-readable document (only with --json). */
  data(doc: unknown): void;
  /** Human text (only without --json). */
  text(line?: string): void;
  /** Progress and notes for people, on stderr so stdout stays clean. */
  note(line: string): void;
}

export function makeOut(json: boolean, stdout = process.stdout, stderr = process.stderr): Out {
  return {
    json,
    data: (doc) => {
      if (json) stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    },
    text: (line = '') => {
      if (!json) stdout.write(`${line}\n`);
    },
    note: (line) => {
      stderr.write(`${line}\n`);
    },
  };
}

export function table(rows: readonly object[], columns: readonly string[]): string {
  if (rows.length === 0) return '(none)';
  const cell = (row: object, column: string) => {
    const v: unknown = Reflect.get(row, column);
    return v === undefined || v === null ? '' : String(v);
  };
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r, c).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line([...columns]),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(columns.map((c) => cell(r, c)))),
  ].join('\n');
}
