import type { Config } from '../config';
import { SlaPolicy } from '../shared/policy';
import type { Store } from '../store/connection';
import { activeVersion, findVersion, seedPolicyVersion, type PolicyVersionDoc } from '../store/policyVersions';

/**
 * The policy new cases open with: the newest published version in the store, cached a few seconds
 * so intake does not read it per case. A publish in this process takes effect here at once; another
 * API process sees it once its cache runs out.
 */
export interface PolicyBook {
  active(): Promise<SlaPolicy>;
  /** The active version with its id. */
  activeVersion(): Promise<PolicyVersionDoc>;
  /** This process published `version`: it is the active one from now on. */
  adopt(version: PolicyVersionDoc): void;
  /**
   * The published policy a case opened with, by the case view's `policyVersion`; null for a version
   * the store does not hold (cases opened before policy versions, a draft's id) or cannot read now.
   */
  published(policyVersion: string): Promise<SlaPolicy | null>;
}

/** How long another process's publish may go unseen here. */
export const POLICY_CACHE_MS = 5_000;

/** Why version 1 holds what it holds, for its audit trail. */
export function seedReason(config: Pick<Config, 'COMPLAINT_POLICY_FILE'>): string {
  return config.COMPLAINT_POLICY_FILE
    ? `seeded from COMPLAINT_POLICY_FILE ${config.COMPLAINT_POLICY_FILE}`
    : 'seeded from the spec defaults';
}

/** Version 1 from the start-up policy, if the store holds no version yet (api/main.ts calls it at start). */
export async function seedPolicy(db: Store, config: Pick<Config, 'policy' | 'COMPLAINT_POLICY_FILE'>): Promise<void> {
  await seedPolicyVersion(db.policyVersions, config.policy, seedReason(config));
}

export function createPolicyBook(
  { db, config }: { db: Store; config: Pick<Config, 'policy' | 'COMPLAINT_POLICY_FILE'> },
  opts: { cacheMs?: number; now?: () => number } = {},
): PolicyBook {
  const cacheMs = opts.cacheMs ?? POLICY_CACHE_MS;
  const now = opts.now ?? Date.now;
  let cached: { version: PolicyVersionDoc; readAt: number } | undefined;
  let reading: Promise<PolicyVersionDoc> | undefined;
  // A published version never changes: each is read once, when a case of it is first shown.
  const published = new Map<number, Promise<SlaPolicy | null>>();

  const keep = (version: PolicyVersionDoc, readAt: number) => {
    // A read that began before a publish here must not bring the older version back.
    if (cached && cached.version._id > version._id) {
      cached = { version: cached.version, readAt };
      return;
    }
    cached = { version, readAt };
  };

  const read = async (): Promise<PolicyVersionDoc> => {
    const began = now();
    let version = await activeVersion(db.policyVersions);
    // A store nobody seeded (a process that skipped main.ts's seeding): seed it now, once.
    if (!version) {
      await seedPolicy(db, config);
      version = await activeVersion(db.policyVersions);
    }
    if (!version) throw new Error('the policy store holds no published version even after seeding version 1');
    keep(version, began);
    return cached!.version;
  };

  const current = async (): Promise<PolicyVersionDoc> => {
    if (cached && now() - cached.readAt < cacheMs) return cached.version;
    // One read at a time: a burst of new cases waits for the same answer.
    reading ??= read().finally(() => {
      reading = undefined;
    });
    return reading;
  };

  return {
    activeVersion: current,
    active: async () => (await current()).policy,
    adopt(version) {
      keep(version, now());
    },
    published(policyVersion) {
      const id = /^[1-9]\d{0,8}$/.test(policyVersion) ? Number(policyVersion) : null;
      if (id === null) return Promise.resolve(null);
      let found = published.get(id);
      if (!found) {
        found = findVersion(db.policyVersions, id).then(
          (doc) => {
            if (doc?.status !== 'published') {
              published.delete(id);
              return null;
            }
            // Stored before a field existed: the schema's defaults, as the workflow's own fallbacks.
            const parsed = SlaPolicy.safeParse(doc.policy);
            return parsed.success ? parsed.data : null;
          },
          // The store not answering costs the view its windows, not the answer; the next view asks again.
          () => {
            published.delete(id);
            return null;
          },
        );
        published.set(id, found);
      }
      return found;
    },
  };
}
