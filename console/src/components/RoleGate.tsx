// Hides an action the signed-in role may not take. The API refuses it anyway (403): this only
// keeps buttons that cannot work out of the way.
import type { ReactNode } from 'react';
import { atLeast, type Role, useRole } from '../auth';

export function RoleGate({ needs, children }: { needs: Role; children: ReactNode }) {
  return atLeast(useRole(), needs) ? children : null;
}
