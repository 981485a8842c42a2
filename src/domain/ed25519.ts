// Ed25519 as the page uses it: @noble/ed25519 is loaded only where WebCrypto lacks Ed25519.
import { ed25519Verifier } from './ed25519-core';

export * from './ed25519-core';

/** True when `signature` is the key's signature of `message`; false for anything malformed. */
export const verifyEd25519 = ed25519Verifier(() => import('@noble/ed25519'));
