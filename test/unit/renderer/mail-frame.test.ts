import { describe, expect, it } from 'vitest';
import { MAIL_FRAME_CSP, mailFrameDocument } from '../../../src-renderer/views/mail/mail-frame';

describe('mail frame', () => {
  it('puts a policy forbidding scripts and remote loads before any of the mail', () => {
    const html = mailFrameDocument('<script>alert(1)</script><img src="https://tracker.test/x.png">');
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script>'));
    expect(MAIL_FRAME_CSP).toContain("default-src 'none'");
    expect(MAIL_FRAME_CSP).toContain("script-src 'none'");
    expect(MAIL_FRAME_CSP).toContain('img-src data:');
  });
});
