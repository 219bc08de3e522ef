import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The dev server injects an inline script (React refresh); the page's strict policy would refuse
 * it. Relax `script-src` for the dev server only; builds keep the strict policy.
 */
const devCsp: Plugin = {
  name: 'jobdeck-dev-csp',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
};

/** Development server for the renderer alone (electron-vite's own needs the Electron binary). */
export default defineConfig({
  root: 'src-renderer',
  plugins: [react(), devCsp],
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:8000', '/job': 'http://127.0.0.1:8000' },
  },
});
