// Placeholder: being built.
export function CampaignsPage() {
  return null;
}
export function CampaignEditPage(_: { id?: string }) {
  return null;
}
