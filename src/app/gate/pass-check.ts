import type { DeviceConfig } from '../../domain/config';
import { type Issuers, verifyEd25519 } from '../../domain/ed25519';
import type { PassContext } from '../../domain/pass';

let lastDecision: Promise<unknown> = Promise.resolve();

/**
 * Runs gate decisions one after another on this page. A decision reads history, then writes its
 * record: without this a double Enter or a scanner that sends twice would check the second before
 * the first was written, and let one person through twice.
 */
export function oneDecisionAtATime<T>(decide: () => Promise<T>): Promise<T> {
  const next = lastDecision.then(decide, decide);
  lastDecision = next.catch(() => undefined);
  return next;
}

/** What checkPass needs, from this device's settings and its own history. */
export function passContext(
  config: DeviceConfig,
  issuers: Issuers,
  direction: 'in' | 'out',
  now: number,
  history: PassContext['history'],
): PassContext {
  return {
    now,
    direction,
    checkpointId: config.checkpoint.id,
    courtyardId: config.place.courtyard.id,
    issuers,
    verify: (key, message, signature) => verifyEd25519(key, message, signature),
    history,
    duplicateWindowMs: config.rules.duplicateWindowSeconds * 1000,
    quota: config.rules.quota,
    curfew: config.rules.curfew,
  };
}
