// A wide table that scrolls sideways on a narrow screen. The scrolling box is native and takes focus
// (axe's scrollable-region-focusable: a keyboard user must be able to scroll it), named by `label`.
import { Table } from '@mantine/core';
import type { ReactNode } from 'react';

export function ScrollTable({
  minWidth,
  label,
  children,
}: {
  minWidth: number;
  label: string;
  children: ReactNode;
}) {
  return (
    <Table.ScrollContainer type="native" minWidth={minWidth} tabIndex={0} role="region" aria-label={label}>
      {children}
    </Table.ScrollContainer>
  );
}
