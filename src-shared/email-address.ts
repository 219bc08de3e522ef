import { z } from 'zod';

/**
 * The recipients a kind C job accepts: what nodemailer sends and mail systems take. One
 * address, bare or with a display name; a Unicode local part goes out with SMTPUTF8 (RFC 6531)
 * and a Unicode domain as punycode, both done by nodemailer.
 */
export const RECIPIENT_RULE =
  'must be one email address, local@example.com or Name <local@example.com>: a local part of ' +
  "letters, digits, !#$%&'*+/=?^_`{|}~- and any Unicode letter (sent with SMTPUTF8), in dot-separated " +
  'words, and a domain of letters, digits and inner hyphens in dot-separated labels (Unicode domains are sent as punycode)';

/** Longest recipient text, display name included. */
export const RECIPIENT_MAX_CHARS = 320;
const LOCAL_MAX_BYTES = 64;
const ADDRESS_MAX_CHARS = 254;
const DOMAIN_MAX_CHARS = 253;
const LABEL_MAX_CHARS = 63;

const WORD = String.raw`(?:[A-Za-z0-9!#$%&'*+/=?^_\x60{|}~-]|[^\p{ASCII}\p{C}\p{Z}])+`;
const LOCAL_PART = new RegExp(`^${WORD}(?:\\.${WORD})*$`, 'u');
const LABEL = /^[\p{L}\p{N}\p{M}](?:[\p{L}\p{N}\p{M}-]*[\p{L}\p{N}\p{M}])?$/u;
const QUOTED_NAME = /^"(?:[^"\\\p{C}]|\\[^\p{C}])*"$/u;
const PLAIN_NAME = /^[^"<>()[\]:;@\\,\p{C}]+$/u;
const WITH_NAME = /^(.*?) *<([^<>]*)>$/u;
const CONTROL = /\p{C}/u;

/** One recipient: its display name (quotes and escapes removed; '' for none) and its address. */
export interface Recipient {
  name: string;
  address: string;
}

/** The display name's text: a quoted name without its quotes and backslash escapes. */
function nameText(name: string): string {
  return QUOTED_NAME.test(name) ? name.slice(1, -1).replace(/\\(.)/gu, '$1') : name;
}

/** The domain as it goes over SMTP (punycode), or null when it is no domain name. */
export function asciiDomain(domain: string): string | null {
  const labels = domain.split('.');
  if (!labels.every((label) => LABEL.test(label)) || /^\d+$/.test(labels.at(-1)!)) return null;
  let ascii: string;
  try {
    ascii = new URL(`http://${domain}/`).hostname;
  } catch {
    return null;
  }
  const fits = ascii.length <= DOMAIN_MAX_CHARS && ascii.split('.').every((label) => label.length <= LABEL_MAX_CHARS);
  return fits ? ascii : null;
}

function isAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0) return false;
  const local = address.slice(0, at);
  const domain = asciiDomain(address.slice(at + 1));
  return (
    LOCAL_PART.test(local) &&
    new TextEncoder().encode(local).length <= LOCAL_MAX_BYTES &&
    domain !== null &&
    local.length + 1 + domain.length <= ADDRESS_MAX_CHARS
  );
}

/** Reads `local@domain`, `<local@domain>` or `Name <local@domain>`; null for anything else. */
export function parseRecipient(text: string): Recipient | null {
  if (CONTROL.test(text)) return null;
  const trimmed = text.trim();
  const named = WITH_NAME.exec(trimmed);
  const name = named ? named[1]! : '';
  const address = named ? named[2]! : trimmed;
  if (name && !QUOTED_NAME.test(name) && !PLAIN_NAME.test(name)) return null;
  return isAddress(address) ? { name: nameText(name), address } : null;
}

/** A recipient field: the text as the client wrote it, checked by `parseRecipient`. */
export const recipientSchema = z
  .string()
  .max(RECIPIENT_MAX_CHARS)
  .refine((text) => parseRecipient(text) !== null, { error: RECIPIENT_RULE, params: { rule: 'format' } })
  .describe(`The recipient: it ${RECIPIENT_RULE}`);
