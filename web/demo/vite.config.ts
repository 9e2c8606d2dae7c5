import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev` proxies the API to a Rotor host on :5080 (`dotnet run --project src/Rotor.Host`),
// so the browser sees one origin, as it does when the host serves the built app.
const target = process.env.ROTOR_URL ?? 'http://localhost:5080';
const proxied = ['/auth', '/users', '/api', '/.well-known', '/healthz'];

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    port: 5173,
    proxy: Object.fromEntries(proxied.map((p) => [p, { target, changeOrigin: false }])),
  },
});
