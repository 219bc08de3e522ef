/** A URL safe to print: the password of its user information replaced by `***`. */
export function redactUrl(url: string): string {
  return redactText(url);
}

/**
 * Masks the secrets a message may carry: the password of every URL (`scheme://user:password@host`,
 * the password possibly empty-named user or containing `/`), a bearer token (`Bearer …`), an
 * `access_token=` query value, and any Jobdeck API token (`jdk_…`) wherever it appears; each by `***`.
 */
export function redactText(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:@\s/]*):[^@\s]*@/gi, '$1:***@')
    .replace(/(\bBearer\s+)[^\s"',;]+/gi, '$1***')
    .replace(/([?&;]access_token=)[^&\s"'#]*/gi, '$1***')
    .replace(/\bjdk_[A-Za-z0-9_-]+/g, 'jdk_***');
}
