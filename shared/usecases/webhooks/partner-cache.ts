// Partner reads for the webhook path, kept briefly per API instance so that a flood of unsigned
// requests (for a real partner id or for made-up ones: unknown ids are cached too) costs the store
// one read per id per TTL instead of one per request. The cache only ever refuses: a request that
// verifies against a cached partner is verified again against a fresh read before it is accepted,
// so a revoked or rotated-out secret stops working at once (docs/webhooks.md).
import type { Partner, PartnerStore } from '../../ports/partners.js';

export interface PartnerCacheOptions {
  /** How long a read (or a "no such partner") is reused to refuse requests. */
  ttlMs: number;
  /**
   * "No such partner" answers kept at most; the oldest goes first. Bounds the memory a flood of
   * made-up ids takes. Reads of real partners are kept apart (partners are few), so such a flood
   * never pushes a partner out.
   */
  maxUnknown: number;
}

/** 5 s: a partner's new secret is refused at most this long after a read that predates it. */
export const DEFAULT_PARTNER_CACHE: PartnerCacheOptions = { ttlMs: 5_000, maxUnknown: 10_000 };

/** What the webhook path needs of partners: a cached look, and a read that refreshes the cache. */
export interface PartnerLookup {
  /**
   * The last read of `id` (`partner` undefined: no such partner), `fresh` while within the TTL;
   * undefined when there was none.
   */
  cached(id: string, nowMs: number): { partner: Partner | undefined; fresh: boolean } | undefined;
  /** Reads the store and keeps the answer. */
  read(id: string, nowMs: number): Promise<Partner | undefined>;
}

interface Entry {
  partner: Partner | undefined;
  readAtMs: number;
}

export class PartnerCache implements PartnerLookup {
  private readonly known = new Map<string, Entry>();
  private readonly unknown = new Map<string, Entry>();

  constructor(
    private readonly store: Pick<PartnerStore, 'getPartner'>,
    private readonly opts: PartnerCacheOptions = DEFAULT_PARTNER_CACHE,
  ) {}

  cached(id: string, nowMs: number): { partner: Partner | undefined; fresh: boolean } | undefined {
    const entry = this.known.get(id) ?? this.unknown.get(id);
    if (!entry) return undefined;
    // A clock that stepped back (a test's fake clock, NTP) makes the entry stale rather than eternal.
    const fresh = nowMs >= entry.readAtMs && nowMs - entry.readAtMs < this.opts.ttlMs;
    return { partner: entry.partner, fresh };
  }

  async read(id: string, nowMs: number): Promise<Partner | undefined> {
    const partner = await this.store.getPartner(id);
    this.known.delete(id);
    this.unknown.delete(id);
    if (partner) {
      this.known.set(id, { partner, readAtMs: nowMs });
      return partner;
    }
    while (this.unknown.size >= this.opts.maxUnknown) {
      const oldest = this.unknown.keys().next();
      if (oldest.done) break;
      this.unknown.delete(oldest.value);
    }
    this.unknown.set(id, { partner: undefined, readAtMs: nowMs });
    return undefined;
  }
}
