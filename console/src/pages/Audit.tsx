// Placeholder: being built.
export function AuditPage() {
  return null;
}
