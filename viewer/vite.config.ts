import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The viewer is static files: viewer/ in, viewer/dist out, served at the site root or any sub-path. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be the only script not loaded from a file; browsers that run WebXR do not need it.
    modulePreload: { polyfill: false },
    // three is most of the bundle and cannot shrink below ~550 kB minified; warn only beyond that.
    chunkSizeWarningLimit: 800,
  },
});
