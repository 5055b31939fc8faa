// Placeholder: being built.
export function PartnersPage() {
  return null;
}
