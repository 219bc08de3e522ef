// electron-fuses.mjs — the Electron fuses the packaged app is built with: electron-builder's
// `electronFuses` option (electron-builder.config.mjs), which flips them with @electron/fuses in
// the packaged binary right before signing. Kept apart so a unit test checks them without a binary.

/**
 * Keys as electron-builder's FuseOptionsV1 names them (each is an @electron/fuses FuseV1Options
 * member with its first letter in lower case; electron-builder ignores a key it does not know).
 *
 * runAsNode stays ON: the console's worker supervisor forks its workers from the Electron binary
 * with ELECTRON_RUN_AS_NODE=1 (src-main/supervisor/worker-child.ts), and a worker forks the command
 * reaper the same way; with the fuse off a packaged console would start no worker. It goes off
 * once the workers run as Electron utility processes.
 */
export const JOBDECK_FUSES = Object.freeze({
  runAsNode: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableCookieEncryption: true,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  // The window never loads file:// (it loads the console's own http origin), so file:// gets no extra rights.
  grantFileProtocolExtraPrivileges: false,
});
