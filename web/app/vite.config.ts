import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { appSourceHash } from '../../scripts/app-source-hash.js';

/** Records what the build was made from, for the test that fails when the committed `dist/` is stale. */
function buildStamp(): Plugin {
  return {
    name: 'frontdesk-build-stamp',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'build-stamp.json',
        source: `${JSON.stringify({ source_hash: appSourceHash() }, null, 2)}\n`,
      });
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  // No React plugin exists for this Vite; esbuild's automatic runtime compiles the JSX.
  esbuild: { jsx: 'automatic' },
  plugins: [buildStamp()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The charts are most of the bundle; libraries in their own files stay cached across app releases.
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      // Mantine marks its modules "use client" for React Server Components; a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      output: {
        manualChunks: { mantine: ['@mantine/core', '@mantine/hooks'], charts: ['@mantine/charts', 'recharts'] },
      },
    },
  },
});
