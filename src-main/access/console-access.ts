import { isLoopbackBind } from '../../src-shared/node/bind-address';
import { StartupError } from '../core/startup-error';
import { WINDOW_ACTOR_NAME, WORKERS_ACTOR_NAME, type Actor } from './actor';
import { CREATE_TOKEN_COMMAND, type AccessOptions } from './access-hook';
import { tokenHash, tokenMatches } from './token-secret';
import { TokenStore, TokensFileError } from './token-store';

/** A console's access control: its tokens file, and the hook's options. */
export interface ConsoleAccess {
  store: TokenStore;
  options: AccessOptions;
}

/** A launch token (held in memory only), as an identification of `actor`. */
function launchTokenIdentity(launchToken: string | undefined, actor: Actor): (token: string) => Actor | null {
  if (launchToken === undefined) return () => null;
  const hash = tokenHash(launchToken);
  return (token) => (tokenMatches(token, hash) ? actor : null);
}

/**
 * The access control of a console bound to `host`: tokens from `tokensFile`, the window's
 * `launchToken` when there is one (role write), and the workers' `workersToken` (role read: the
 * webhook inbox they POST results to). Bound beyond loopback, it refuses to start (a
 * {@link StartupError} naming the command) while the file holds no token.
 */
export function consoleAccess(host: string, tokensFile: string, launchToken?: string, workersToken?: string): ConsoleAccess {
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
  const fromWindow = launchTokenIdentity(launchToken, { name: WINDOW_ACTOR_NAME, role: 'write' });
  const fromWorkers = launchTokenIdentity(workersToken, { name: WORKERS_ACTOR_NAME, role: 'read' });
  return { store, options: { required, identify: (token) => fromWindow(token) ?? fromWorkers(token) ?? store.identify(token) } };
}
