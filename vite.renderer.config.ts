import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Development server for the renderer alone (electron-vite's own needs the Electron binary). */
export default defineConfig({
  root: 'src-renderer',
  plugins: [react()],
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:8000', '/job': 'http://127.0.0.1:8000' },
  },
});
