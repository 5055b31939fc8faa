// Placeholder: being built.
export function CustomersPage() {
  return null;
}
export function CustomerPage(_: { id: string }) {
  return null;
}
