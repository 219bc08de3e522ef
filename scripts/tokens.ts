/**
 * `npm run tokens -- create <name> --role read|write` prints a new API token once and stores
 * only its SHA-256; `npm run tokens -- list` lists them (name, role, created); `npm run tokens --
 * revoke <name>` removes one, refused from the next request by every console reading the file.
 * The file is JOBDECK_TOKENS_FILE, else `$XDG_CONFIG_HOME/jobdeck/tokens.json`, else
 * `~/.config/jobdeck/tokens.json` (mode 0600). A create or revoke adds a row to the audit trail
 * of JOBDECK_NAMESPACE on DATABASE_URL when it can (see tokens-audit.ts).
 */
import { TokenStore, TokensFileError, tokensFilePath } from '../src-main/access/token-store';
import { TOKEN_NAME_RULE, tokenNameSchema, tokenRoleSchema, type TokenRole } from '../src-shared/token-schemas';
import { runIfEntryPoint } from './script-entry';
import { auditTokensChange } from './tokens-audit';

const USAGE = 'usage: npm run tokens -- create <name> --role read|write | list | revoke <name>';

/** A problem the user can act on: printed without a stack, exit 1. */
export class TokensCliError extends Error {}

function checkedName(name: string | undefined): string {
  if (name === undefined || name.startsWith('-')) throw new TokensCliError(USAGE);
  const parsed = tokenNameSchema.safeParse(name);
  if (!parsed.success) throw new TokensCliError(`"${name}" is not a token name: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

function checkedRole(rest: readonly string[]): TokenRole {
  const at = rest.indexOf('--role');
  const inline = rest.find((a) => a.startsWith('--role='))?.slice('--role='.length);
  const role = inline ?? (at >= 0 ? rest[at + 1] : undefined);
  if (role === undefined) throw new TokensCliError(`create needs --role read or --role write\n${USAGE}`);
  const parsed = tokenRoleSchema.safeParse(role);
  if (!parsed.success) throw new TokensCliError(`--role "${role}" is not a role: must be read or write`);
  return parsed.data;
}

async function create(store: TokenStore, args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const name = checkedName(args[0]);
  const role = checkedRole(args.slice(1));
  const created = store.create(name, role);
  if (!created) throw new TokensCliError(`a token named "${name}" exists already (in ${store.path}); revoke it first or pick another name`);
  console.log(`token "${name}" (${role}) created in ${store.path}; it is shown this once, keep it now:\n${created.token}`);
  await auditTokensChange({ verb: 'tokens.create', target: name, params: { name, role }, status: 201, command: 'CLI tokens create' }, env);
}

function list(store: TokenStore): void {
  const tokens = store.list();
  if (tokens.length === 0) {
    console.log(`no tokens in ${store.path}`);
    return;
  }
  for (const { name, role, created_at } of tokens) console.log(`${name}\t${role}\t${created_at}`);
}

async function revoke(store: TokenStore, args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const name = checkedName(args[0]);
  if (!store.revoke(name)) throw new TokensCliError(`no token named "${name}" in ${store.path}`);
  console.log(`token "${name}" revoked; consoles refuse it from their next request and end its open streams`);
  await auditTokensChange({ verb: 'tokens.delete', target: name, params: null, status: 204, command: 'CLI tokens revoke' }, env);
}

export async function run(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const [command, ...args] = argv;
  const store = new TokenStore(tokensFilePath(env));
  if (command === 'create') return create(store, args, env);
  if (command === 'list' && args.length === 0) return list(store);
  if (command === 'revoke' && args.length === 1) return revoke(store, args, env);
  throw new TokensCliError(`${command === undefined ? '' : `unknown command "${argv.join(' ')}"; `}${USAGE}\n(names: ${TOKEN_NAME_RULE})`);
}

runIfEntryPoint(import.meta.url, 'tokens', run, (error) => error instanceof TokensCliError || error instanceof TokensFileError);
