/** A URL safe to print: the password of its user information replaced by `***`. */
export function redactUrl(url: string): string {
  return redactText(url);
}

/**
 * Replaces the password of every URL in a message (`scheme://user:password@host`, the password
 * possibly empty-named user or containing `/`) by `***`.
 */
export function redactText(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:@\s/]*):[^@\s]*@/gi, '$1:***@');
}
