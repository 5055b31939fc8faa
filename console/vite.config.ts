// The marketing-ops console: a static build served under /console/ (locally by the API server,
// in the cloud by CloudFront from S3). It calls the API on the same origin at /console/v1.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  // The app imports the domain's zod schemas from ../shared (live validation with the server's rules).
  // `npx vite --config console/vite.config.ts` is a development server for the console alone: it
  // proxies /console/v1 to a running `touchpoint serve` (TOUCHPOINT_API, default port 8787).
  server: {
    fs: { allow: ['..'] },
    proxy: { '/console/v1': { target: process.env.TOUCHPOINT_API ?? 'http://127.0.0.1:8787' } },
  },
  plugins: [
    react(),
    {
      name: 'touchpoint-dev-config',
      apply: 'serve',
      configureServer(server) {
        server.middlewares.use('/console/config.json', (_req, res) => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ apiBase: '/console/v1', auth: { kind: 'local' } }));
        });
      },
    },
  ],
});
