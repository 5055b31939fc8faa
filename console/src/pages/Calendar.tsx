// Placeholder: being built.
export function CalendarPage() {
  return null;
}
export function CalendarDayPage(_: { date: string }) {
  return null;
}
