/**
 * Vite builds the web app into web/dist, which the Tally server serves at `/` (src/http/web-app.ts).
 * `npm run web:dev` runs Vite's dev server for work on the app, proxying the API to :3000; it is
 * never used in production.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The terms editor shares the server's zod schema (one source of validation), which makes its
    // lazy chunk large; the initial bundle is what the 300 kB budget is about (web/scripts/build.ts).
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod ships comments that Rollup reads as misplaced /*#__PURE__*/ annotations: harmless noise.
        if (warning.code === 'INVALID_ANNOTATION') return;
        warn(warning);
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/v1': 'http://localhost:3000', '/docs': 'http://localhost:3000', '/openapi.json': 'http://localhost:3000' },
    // The app imports a few pure modules from the server's src/ (terms schema, roles) and src/wire,
    // the folder of code shared by both (currencies, people).
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
  },
});
