/**
 * The policy a received HTML mail is shown under: nothing runs and nothing is fetched (no
 * scripts, no remote images, fonts or styles; inline styles and data: images only). The frame
 * is also `sandbox=""`, which alone forbids scripts, forms and navigation.
 */
export const MAIL_FRAME_CSP =
  "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; script-src 'none'; form-action 'none'; base-uri 'none'";

/** The mail's HTML with the policy put first, so it holds before any of the mail's own markup. */
export function mailFrameDocument(html: string): string {
  return `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${MAIL_FRAME_CSP}"><meta charset="utf-8"></head><body>${html}</body></html>`;
}
