// electron-builder's configuration for `npm run dist` (scripts/dist.mjs): Linux AppImage and
// .deb of the built app (out/), in an ASAR archive, with the fuses of scripts/electron-fuses.mjs.
//
// The runtime comes from Electron's release zip, which electron-builder takes from @electron/get's
// cache (~/.cache/electron): the one the package's installer filled when it fetched the runtime.
// Not `electronDist: node_modules/electron/dist`: an unpacked runtime keeps its default_app.asar.
import { JOBDECK_FUSES } from './scripts/electron-fuses.mjs';

export default {
  appId: 'dev.jobdeck.console',
  productName: 'Jobdeck',
  directories: { output: 'dist', buildResources: 'build-resources' },
  files: ['out/**/*', 'package.json'],
  asar: true,
  npmRebuild: false,
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
