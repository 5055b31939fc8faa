// Placeholder: being built.
export function ResultsPage() {
  return null;
}
