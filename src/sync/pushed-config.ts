// The office's pushed configurations (KDC1, see domain/config-code.ts), however they reach a gate:
// pulled at sync, or imported from a file or a QR code. A gate applies only what a key it trusts
// signed, and only what is newer than what it runs.
import type { KadianDB } from '../db/database';
import { applyPushedConfig } from '../db/pushed-config';
import { readMeta } from '../db/settings';
import { type ConfigCheck, checkConfig } from '../domain/config-code';
import { issuerMap, type Verify } from '../domain/ed25519-core';

/**
 * Takes the newest of these codes that the gate may apply. Resolves to what became of it: applied,
 * or why not (for the newest code offered).
 */
export async function takePushedConfig(
  db: KadianDB,
  codes: string[],
  verify: Verify,
  now: number,
): Promise<ConfigCheck | undefined> {
  const current = await readMeta(db, 'config');
  if (!current || codes.length === 0) return undefined;
  const issuers = await issuerMap(current.issuerKeys);
  const checked = await Promise.all(
    codes.map((code) => checkConfig(code, issuers, verify, current)),
  );
  const newest = checked
    .flatMap((result) => (result.ok ? [result] : []))
    .sort((a, b) => b.payload.at - a.payload.at)[0];
  if (!newest) return checked[0];
  await applyPushedConfig(db, newest.payload, now);
  return newest;
}
