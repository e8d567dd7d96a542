import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    // `npm run dev --workspace client` proxies the appservice API to a running `./dev up`.
    proxy: { '/api': 'http://127.0.0.1:9000', '/health': 'http://127.0.0.1:9000' },
  },
});
