/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The production build goes to dist/, which the Maven build copies into the jar under public/ (served at /).
// In development, `npm run dev` proxies /api to a Reelmark server on 127.0.0.1:18080
// (`./reelmark serve --data /tmp/webdemo --port 18080`), or REELMARK_API if set.
const apiTarget = process.env.REELMARK_API ?? 'http://127.0.0.1:18080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
