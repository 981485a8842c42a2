// Tokens: `npm run tokens -- create <label> [device|office|viewer|duty] [place]`, `revoke <label>`,
// `list`. A device token binds to the first device that uploads with it; an office's enrols gates.
import { ROLES, type Role } from './access';
import { openStore } from './store';

const store = await openStore(process.env);
const [command, label, role = 'device', scope] = process.argv.slice(2);

if (command === 'create' && label && (ROLES as readonly string[]).includes(role)) {
  console.log(await store.createToken(label, role as Role, Date.now(), scope ? { scope } : {}));
} else if (command === 'revoke' && label) {
  console.log(`revoked ${await store.revokeTokens(label, Date.now())} token(s) of ${label}`);
} else if (command === 'list') {
  for (const token of await store.listTokens()) {
    const state = token.revoked_at ? `revoked ${new Date(token.revoked_at).toISOString()}` : 'live';
    const bound = [token.device_id, token.checkpoint_id, token.scope].filter(Boolean).join(' ');
    console.log(
      `${token.label}\t${token.role}\t${bound || '-'}\t${new Date(token.created_at).toISOString()}\t${state}`,
    );
  }
} else {
  console.error(
    'usage: tokens create <label> [device|office|viewer|duty] [place] | revoke <label> | list',
  );
  process.exitCode = 2;
}
await store.close();
