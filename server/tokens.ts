// Device and viewer tokens: `npm run tokens -- create <label> [device|viewer]`, `revoke <label>`, `list`.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Store, type TokenRole } from './store';

const dbFile = resolve(process.env.KADIAN_DB ?? 'data/kadian.sqlite');
mkdirSync(dirname(dbFile), { recursive: true });
const store = new Store(dbFile);
const [command, label, role = 'device'] = process.argv.slice(2);

if (command === 'create' && label && (role === 'device' || role === 'viewer')) {
  console.log(store.createToken(label, role as TokenRole, Date.now()));
} else if (command === 'revoke' && label) {
  console.log(`revoked ${store.revokeTokens(label, Date.now())} token(s) of ${label}`);
} else if (command === 'list') {
  for (const token of store.listTokens()) {
    const state = token.revoked_at ? `revoked ${new Date(token.revoked_at).toISOString()}` : 'live';
    console.log(
      `${token.label}\t${token.role}\t${new Date(token.created_at).toISOString()}\t${state}`,
    );
  }
} else {
  console.error('usage: tokens create <label> [device|viewer] | revoke <label> | list');
  process.exitCode = 2;
}
store.close();
