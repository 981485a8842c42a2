// Runs the reference receiver until SIGINT/SIGTERM, then stops it gracefully.
import { serve } from './serve';

const running = await serve(process.env);
console.log(`Kadian receiver: ${running.url}`);
if (await running.store.isOpen()) {
  console.warn(
    '\n*** NO DEVICE TOKENS: this receiver accepts records from anyone who can reach it. ***\n' +
      '*** Create one with: npm run tokens -- create <device-label>                       ***\n',
  );
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: finishing requests in progress, then stopping`);
    void running.stop().then(() => process.exit(0));
  });
}
