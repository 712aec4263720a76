import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// One build for the three web apps (worker, admin, scanner) and the portal page; they share chunks
// (React, the design system, the API client). The server serves dist/web; `npm run dev` proxies the API.
const root = path.resolve(here, 'web');

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  resolve: {
    alias: {
      '@contracts': path.resolve(here, 'src/contracts'),
      '@ui': path.resolve(root, 'ui'),
    },
  },
  build: {
    outDir: path.resolve(here, 'dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: {
        index: path.resolve(root, 'index.html'),
        worker: path.resolve(root, 'worker/index.html'),
        admin: path.resolve(root, 'admin/index.html'),
        scanner: path.resolve(root, 'scanner/index.html'),
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/docs': 'http://127.0.0.1:3000',
      '/openapi.json': 'http://127.0.0.1:3000',
    },
  },
});
