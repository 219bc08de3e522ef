import { isLoopbackBind } from '../../src-shared/node/bind-address';
import { StartupError } from '../core/startup-error';
import { WINDOW_ACTOR_NAME, type Actor } from './actor';
import { CREATE_TOKEN_COMMAND, type AccessOptions } from './access-hook';
import { tokenHash, tokenMatches } from './token-secret';
import { TokenStore, TokensFileError } from './token-store';

/** A console's access control: its tokens file, and the hook's options. */
export interface ConsoleAccess {
  store: TokenStore;
  options: AccessOptions;
}

/** The window's launch token (held in memory only), as an identification: role write, name `window`. */
function launchTokenIdentity(launchToken: string | undefined): (token: string) => Actor | null {
  if (launchToken === undefined) return () => null;
  const hash = tokenHash(launchToken);
  return (token) => (tokenMatches(token, hash) ? { name: WINDOW_ACTOR_NAME, role: 'write' } : null);
}

/**
 * The access control of a console bound to `host`: tokens from `tokensFile`, and the window's
 * `launchToken` when there is one. Bound beyond loopback, it refuses to start (a
 * {@link StartupError} naming the command) while the file holds no token.
 */
export function consoleAccess(host: string, tokensFile: string, launchToken?: string): ConsoleAccess {
  const store = new TokenStore(tokensFile);
  const required = !isLoopbackBind(host);
  try {
    if (required && store.list().length === 0) {
      throw new StartupError(
        `JOBDECK_HOST=${host} opens the API to the network and no API token exists in ${tokensFile}: create one with \`${CREATE_TOKEN_COMMAND}\` (or set JOBDECK_TOKENS_FILE), or bind to 127.0.0.1`,
      );
    }
  } catch (error) {
    if (error instanceof TokensFileError) throw new StartupError(error.message);
    throw error;
  }
  const fromLaunch = launchTokenIdentity(launchToken);
  return { store, options: { required, identify: (token) => fromLaunch(token) ?? store.identify(token) } };
}
