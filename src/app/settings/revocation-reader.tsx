import { useSession } from '../session';
import { CodeReader } from './code-reader';
import { importRevocations } from './revocation-import';

/**
 * Imports the office's revocation list (pasted, from its file, or from a photo of a QR code) on a
 * device that cannot sync: every code must be signed by a trusted issuer, or nothing is imported.
 */
export function RevocationReader() {
  const { db, t, config } = useSession();
  return (
    <CodeReader
      words={{
        field: 'revocations.field',
        read: 'revocations.read',
        file: 'revocations.file',
        photo: 'revocations.photo',
      }}
      take={(input) => importRevocations(db, config.issuerKeys, input, t)}
    />
  );
}
