// A plain textarea for the campaign JSON, with line numbers and the lines that have a problem marked
// behind the text (a "!" in the gutter too, so colour is not the only sign). No wrapping: one text
// line is one row, which keeps the marks aligned without measuring text. A code editor component
// (CodeMirror, Monaco) would do more, at ten times the bundle; this is what the page needs.
import { Box, Input } from '@mantine/core';
import { type RefObject, useState } from 'react';

const LINE_PX = 20;
const PAD_PX = 8;

/** Put the caret on a line and scroll it into view. */
export function focusLine(el: HTMLTextAreaElement, line: number): void {
  const rows = el.value.split('\n');
  let start = 0;
  for (let i = 0; i < line - 1 && i < rows.length; i += 1) start += (rows[i]?.length ?? 0) + 1;
  const end = start + (rows[line - 1]?.length ?? 0);
  el.focus();
  el.setSelectionRange(start, end);
  el.scrollTop = Math.max(0, (line - 4) * LINE_PX);
}

export interface JsonTextareaProps {
  id: string;
  label: string;
  description?: string;
  value: string;
  onChange(value: string): void;
  problemLines: ReadonlySet<number>;
  /** The id of the list of problems (aria-describedby). */
  problemsId: string;
  readOnly?: boolean;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
}

export function JsonTextarea(p: JsonTextareaProps) {
  const [scrollTop, setScrollTop] = useState(0);
  const rows = p.value.split('\n').length;
  const descriptionId = p.description ? `${p.id}-description` : undefined;
  return (
    <Input.Wrapper label={p.label} description={p.description} id={p.id}>
      <Box
        mt={4}
        style={{
          display: 'flex',
          height: 480,
          border: '1px solid var(--mantine-color-default-border)',
          borderRadius: 'var(--mantine-radius-sm)',
          overflow: 'hidden',
          fontFamily: 'var(--mantine-font-family-monospace)',
          fontSize: 13,
        }}
      >
        <Box
          aria-hidden
          style={{
            flex: 'none',
            width: 52,
            overflow: 'hidden',
            background: 'var(--mantine-color-gray-light)',
            borderRight: '1px solid var(--mantine-color-default-border)',
          }}
        >
          <div style={{ transform: `translateY(${-scrollTop}px)`, paddingTop: PAD_PX }}>
            {Array.from({ length: rows }, (_, i) => {
              const bad = p.problemLines.has(i + 1);
              return (
                <div
                  // biome-ignore lint/suspicious/noArrayIndexKey: a line number is the row's identity
                  key={i}
                  style={{
                    height: LINE_PX,
                    lineHeight: `${LINE_PX}px`,
                    textAlign: 'right',
                    paddingRight: 6,
                    fontWeight: bad ? 700 : 400,
                    color: bad ? 'var(--mantine-color-red-9)' : 'var(--mantine-color-gray-7)',
                  }}
                >
                  {bad ? `! ${i + 1}` : i + 1}
                </div>
              );
            })}
          </div>
        </Box>
        <Box style={{ position: 'relative', flex: 1, minWidth: 0 }}>
          <div
            aria-hidden
            style={{ position: 'absolute', inset: 0, overflow: 'hidden', pointerEvents: 'none' }}
          >
            {[...p.problemLines].map((line) => (
              <div
                key={line}
                style={{
                  position: 'absolute',
                  left: 0,
                  right: 0,
                  top: PAD_PX + (line - 1) * LINE_PX - scrollTop,
                  height: LINE_PX,
                  background: 'var(--mantine-color-red-light)',
                }}
              />
            ))}
          </div>
          <textarea
            id={p.id}
            ref={p.textareaRef}
            data-testid="editor-json"
            value={p.value}
            readOnly={p.readOnly}
            onChange={(e) => p.onChange(e.currentTarget.value)}
            onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
            wrap="off"
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            aria-invalid={p.problemLines.size > 0}
            aria-describedby={[descriptionId, p.problemsId].filter(Boolean).join(' ')}
            style={{
              position: 'relative',
              display: 'block',
              width: '100%',
              height: '100%',
              margin: 0,
              border: 0,
              resize: 'none',
              padding: PAD_PX,
              font: 'inherit',
              lineHeight: `${LINE_PX}px`,
              whiteSpace: 'pre',
              overflow: 'auto',
              background: 'transparent',
              color: 'var(--mantine-color-text)',
              tabSize: 2,
            }}
          />
        </Box>
      </Box>
    </Input.Wrapper>
  );
}
