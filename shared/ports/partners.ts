// Webhook partners, their signing secrets, and the replay guard.

/** One signing secret of a partner; a rotated-out secret carries the end of its rollover window. */
export interface PartnerSecret {
  /** `whsec_` + base64 of the key bytes (the Standard Webhooks format). */
  secret: string;
  createdAt: string;
  /** Absent while the secret is current; set when a rotation starts its rollover window. */
  expiresAt?: string;
}

export interface Partner {
  id: string;
  /** Newest first. */
  secrets: PartnerSecret[];
  createdAt: string;
}

/**
 * Partners and their webhook secrets. The table adapter keeps them locally; in the cloud the
 * secrets belong in Secrets Manager, and an adapter of this port can hold them there instead.
 */
export interface PartnerStore {
  /** Returns false (and changes nothing) when a partner with this id exists. */
  addPartner(partner: Partner): Promise<boolean>;
  /**
   * Makes `next` the current secret; the secrets current until now stay valid for `rolloverMs`
   * after `next.createdAt`, those already expired are dropped. Undefined when there is no such partner.
   */
  rotatePartnerSecret(id: string, next: PartnerSecret, rolloverMs: number): Promise<Partner | undefined>;
  /**
   * Drops every secret of the partner at once (a leaked secret): the partner stays, with none valid,
   * until a rotation gives it a new one. Undefined when there is no such partner.
   */
  revokePartnerSecrets(id: string): Promise<Partner | undefined>;
  getPartner(id: string): Promise<Partner | undefined>;
  listPartners(): Promise<Partner[]>;
}

/** Webhook ids already accepted, per partner: the replay guard (entries expire after a while). */
export interface WebhookReceipts {
  hasWebhookReceipt(partnerId: string, webhookId: string): Promise<boolean>;
  /** Records an accepted webhook; false when it was already recorded (a concurrent replay). */
  recordWebhookReceipt(partnerId: string, webhookId: string, now: Date): Promise<boolean>;
}
