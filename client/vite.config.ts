import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // matrix-js-sdk is one ~700 kB chunk, loaded only after login (see src/lazy.ts); the bundler
    // also puts there what the signed-in screens share (TanStack Query, the providers): ~920 kB.
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      output: {
        // Name the shared chunk that holds matrix-js-sdk after it (the bundler would name it after
        // whichever module comes first), so the build's chunk list reads plainly.
        chunkFileNames: (chunk) =>
          chunk.moduleIds.some((id) => id.includes('/matrix-js-sdk/lib/client.js')) ? 'assets/matrix-sdk-[hash].js' : 'assets/[name]-[hash].js',
      },
    },
  },
  server: {
    // `npm run dev --workspace client` proxies the appservice API to a running `./dev up`.
    proxy: { '/api': 'http://127.0.0.1:9000', '/health': 'http://127.0.0.1:9000' },
  },
});
