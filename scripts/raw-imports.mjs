// `node --import ./scripts/raw-imports.mjs` (after `--import tsx`): lets code run from source
// import a file's text as Vite's `?raw` does in the builds and in Vitest (the Lua of the status
// store), for the workers the tests start from source and for the bench.
import { register } from 'node:module';

register('./raw-imports-hooks.mjs', import.meta.url);
