import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    // Two pages: the staff app (index.html) and the residents' phone page (report.html, served at /s),
    // which has no antd and loads leaflet only when its map is opened.
    rolldownOptions: {
      input: { main: path.join(root, 'index.html'), report: path.join(root, 'report.html') },
      // React in a chunk of its own: otherwise the chunk both pages share also takes what the staff
      // app's lazy screens share (antd pieces), and the phone page would load it too.
      output: {
        codeSplitting: { groups: [{ name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/ }] },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': 'http://localhost:3000',
      '/docs': 'http://localhost:3000',
    },
  },
});
