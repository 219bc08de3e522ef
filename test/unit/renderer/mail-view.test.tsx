import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { App } from '../../../src-renderer/App';
import { createConsoleStore } from '../../../src-renderer/store/console-store';
import { ConsoleStoreProvider } from '../../../src-renderer/store/context';
import { MAIL_FRAME_CSP, mailFrameDocument } from '../../../src-renderer/views/mail/mail-frame';
import { curlFor } from '../../../src-renderer/format';
import { fakeBridge } from './fake-bridge';
import { manualSchedule } from './fixtures';

describe('mail frame', () => {
  it('puts a policy forbidding scripts and remote loads before any of the mail', () => {
    const html = mailFrameDocument('<script>alert(1)</script><img src="https://tracker.test/x.png">');
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script>'));
    expect(MAIL_FRAME_CSP).toContain("default-src 'none'");
    expect(MAIL_FRAME_CSP).toContain("script-src 'none'");
    expect(MAIL_FRAME_CSP).toContain('img-src data:');
  });

  it('is shown in a frame sandboxed with no permissions at all', () => {
    const store = createConsoleStore({ bridge: fakeBridge().bridge, schedule: manualSchedule() });
    store.getState().navigate('mail');
    store.setState({
      mail: {
        status: 'loaded',
        error: null,
        selectedId: null,
        items: [
          {
            id: '1',
            received_at: '2026-01-01T00:00:00.000Z',
            envelope_from: 'a@b.test',
            envelope_to: ['ops@b.test'],
            message_id: null,
            subject: 'Hello',
            headers: { subject: 'Hello' },
            text_body: 'Hi',
            html_body: '<p onclick="x()">Hi</p>',
            size: 10,
          },
        ],
      },
    });
    const prepared = { ...store, getInitialState: store.getState };
    const html = renderToStaticMarkup(
      <ConsoleStoreProvider value={prepared}>
        <App />
      </ConsoleStoreProvider>,
    );
    expect(html).toMatch(/<iframe class="mail-frame" title="HTML body of the message" sandbox="" srcDoc="[^"]*Content-Security-Policy/);
    expect(html).toContain('<h3 id="mail-subject">Hello</h3>');
  });
});

describe('copy as curl', () => {
  it('quotes the body for a shell, whatever the payload holds', () => {
    const command = curlFor({ kind: 'email', payload: { subject: "it's done" } }, 'http://127.0.0.1:8000');
    expect(command).toBe(
      `curl -sS -X POST 'http://127.0.0.1:8000/api/v1/jobs' -H 'content-type: application/json' -d '{"kind":"email","payload":{"subject":"it'\\''s done"}}'`,
    );
  });
});
