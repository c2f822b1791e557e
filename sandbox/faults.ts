import { z } from 'zod';

/**
 * Faults a test arms to make one provider misbehave: fail (503), refuse (decline), go silent
 * (timeout), or carry a request out and hold its answer until released (hold: a reliability run
 * kills the worker while money is in flight). `count` limits how many requests a fault hits before
 * it disarms itself.
 */

export const FaultService = z.enum(['payments', 'sms', 'carriers', 'merchants', 'orders', 'customers']);
export type FaultService = z.infer<typeof FaultService>;

export const FaultMode = z.enum(['error', 'timeout', 'decline', 'hold']);
export type FaultMode = z.infer<typeof FaultMode>;

export const FaultRequest = z.object({
  service: FaultService,
  mode: FaultMode,
  /** The share of requests hit: 1 hits every one and 0 none (no dice are rolled), between is a probability. */
  rate: z.number().min(0).max(1),
  count: z.number().int().positive().optional(),
});
export type FaultRequest = z.infer<typeof FaultRequest>;

export interface ArmedFault extends FaultRequest {
  /** Requests hit so far. */
  hits: number;
}

export class Faults {
  private readonly armed = new Map<FaultService, ArmedFault>();

  /** One fault per service: arming again replaces the earlier one. */
  arm(request: FaultRequest): ArmedFault {
    const fault = { ...request, hits: 0 };
    this.armed.set(request.service, fault);
    return fault;
  }

  clear(): number {
    const n = this.armed.size;
    this.armed.clear();
    return n;
  }

  list(): ArmedFault[] {
    return [...this.armed.values()];
  }

  /** Decides whether this request to `service` is hit, and by which mode; counts the hit. */
  take(service: FaultService): FaultMode | undefined {
    const fault = this.armed.get(service);
    if (!fault) return undefined;
    const hit = fault.rate >= 1 || (fault.rate > 0 && Math.random() < fault.rate);
    if (!hit) return undefined;
    fault.hits += 1;
    if (fault.count !== undefined && fault.hits >= fault.count) this.armed.delete(service);
    return fault.mode;
  }
}
