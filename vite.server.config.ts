import { defineConfig } from 'vite';

/** Builds the reference receiver (server/) for Node; its dependencies stay in node_modules. */
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'dist-server',
    target: 'node20',
    rollupOptions: {
      input: {
        main: 'server/main.ts',
        tokens: 'server/tokens.ts',
        import: 'server/import.ts',
        move: 'server/move.ts',
      },
    },
  },
});
