// electron-builder's configuration for `npm run dist` (scripts/dist.mjs): Linux AppImage and
// .deb of the built app (out/), in an ASAR archive, with the fuses of scripts/electron-fuses.mjs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './scripts/electron-runtime.mjs';
import { JOBDECK_FUSES } from './scripts/electron-fuses.mjs';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

/** The runtime `npm start` fetched (node_modules/electron/dist), so electron-builder downloads no second copy. */
function installedRuntimeDir() {
  const { binary } = findElectronBinary(ROOT);
  return binary ? path.dirname(binary) : undefined;
}

export default {
  appId: 'dev.jobdeck.console',
  productName: 'Jobdeck',
  directories: { output: 'dist', buildResources: 'build-resources' },
  files: ['out/**/*', 'package.json'],
  asar: true,
  npmRebuild: false,
  electronDist: installedRuntimeDir(),
  electronFuses: { ...JOBDECK_FUSES },
  linux: {
    target: ['AppImage', 'deb'],
    executableName: 'jobdeck',
    category: 'Development',
    icon: 'build-resources/icon.png',
    maintainer: 'Jobdeck <jobdeck@localhost>',
    synopsis: 'Desktop operations console for asynchronous jobs',
  },
};
