import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { App } from '../../../src-renderer/App';
import { createConsoleStore } from '../../../src-renderer/store/console-store';
import { ConsoleStoreProvider } from '../../../src-renderer/store/context';
import { MAIL_FRAME_CSP, mailFrameDocument } from '../../../src-renderer/views/mail/mail-frame';
import { curlFor } from '../../../src-renderer/format';
import type { MailRecord, MailSummary, WebhookSummary } from '../../../src-shared/console-records';
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

  it('is shown in a frame sandboxed with no permissions at all', async () => {
    const { bridge } = fakeBridge();
    bridge.listMail.mockResolvedValue({ items: [mailSummary('1', 'Hello')], next_cursor: null });
    bridge.getMail.mockResolvedValue(mailWhole('1', 'Hello', { html_body: '<p onclick="x()">Hi</p>' }));
    const store = createConsoleStore({ bridge, schedule: manualSchedule() });
    store.getState().navigate('mail');
    await store.getState().loadMail();
    const html = render(store);
    expect(html).toMatch(/<iframe class="mail-frame" title="HTML body of the message" sandbox="" srcDoc="[^"]*Content-Security-Policy/);
    expect(html).toContain('<h3 id="mail-subject">Hello</h3>');
  });
});

function mailSummary(id: string, subject: string): MailSummary {
  return {
    id,
    received_at: '2026-01-01T00:00:00.000Z',
    envelope_from: 'a@b.test',
    envelope_to: ['ops@b.test'],
    message_id: null,
    subject,
    size: 10,
    preview: `preview of ${subject}`,
  };
}

function mailWhole(id: string, subject: string, bodies: Partial<MailRecord> = {}): MailRecord {
  return { ...withoutPreview(mailSummary(id, subject)), headers: { subject }, text_body: `text of ${subject}`, html_body: null, ...bodies };
}

/** A list item as its whole record has it: everything but the preview. */
function withoutPreview<T extends { preview: unknown }>(item: T): Omit<T, 'preview'> {
  const copy: Partial<T> = { ...item };
  delete copy.preview;
  return copy as Omit<T, 'preview'>;
}

function webhookSummary(id: string, path: string): WebhookSummary {
  return { id, received_at: '2026-01-01T00:00:00.000Z', method: 'POST', path, content_type: 'application/json', size: 9, preview: '{"a":1}' };
}

function render(store: ReturnType<typeof createConsoleStore>): string {
  const prepared = { ...store, getInitialState: store.getState };
  return renderToStaticMarkup(
    <ConsoleStoreProvider value={prepared}>
      <App />
    </ConsoleStoreProvider>,
  );
}

describe('mail view', () => {
  it('lists summaries and shows the newest message whole, read through the bridge by its ID', async () => {
    const { bridge } = fakeBridge();
    bridge.listMail.mockResolvedValue({ items: [mailSummary('2', 'Second'), mailSummary('1', 'First')], next_cursor: null });
    bridge.getMail.mockImplementation(async (id) => mailWhole(id, id === '2' ? 'Second' : 'First'));
    const store = createConsoleStore({ bridge, schedule: manualSchedule() });
    store.getState().navigate('mail');

    await store.getState().loadMail();
    expect(bridge.getMail).toHaveBeenCalledTimes(1);
    expect(bridge.getMail).toHaveBeenLastCalledWith('2');
    let html = render(store);
    expect(html).toContain('preview of First');
    expect(html).toContain('text of Second');
    expect(html).not.toContain('text of First');

    await store.getState().selectMail('1');
    expect(bridge.getMail).toHaveBeenLastCalledWith('1');
    html = render(store);
    expect(html).toContain('text of First');

    // A refresh of the list does not read the shown message again: it never changes.
    await store.getState().loadMail();
    expect(bridge.getMail).toHaveBeenCalledTimes(2);
  });

  it('says a message is no longer kept when the API has it no more, and a failed read is retried on refresh', async () => {
    const { bridge } = fakeBridge();
    bridge.listMail.mockResolvedValue({ items: [mailSummary('3', 'Trimmed')], next_cursor: null });
    const store = createConsoleStore({ bridge, schedule: manualSchedule() });
    store.getState().navigate('mail');
    await store.getState().loadMail();
    expect(render(store)).toContain('This message is no longer kept');

    bridge.listMail.mockResolvedValue({ items: [mailSummary('4', 'Flaky')], next_cursor: null });
    bridge.getMail.mockRejectedValueOnce(new Error('connection reset'));
    await store.getState().loadMail();
    expect(store.getState().mail.detail).toMatchObject({ id: '4', status: 'failed' });
    expect(render(store)).toContain('Could not read this message.');
    bridge.getMail.mockResolvedValueOnce(mailWhole('4', 'Flaky'));
    await store.getState().loadMail();
    expect(render(store)).toContain('text of Flaky');
  });

  it('keeps the answer of the item last selected when an earlier read ends later', async () => {
    const { bridge } = fakeBridge();
    bridge.listMail.mockResolvedValue({ items: [mailSummary('2', 'Second'), mailSummary('1', 'First')], next_cursor: null });
    let finishFirst: (mail: MailRecord) => void = () => undefined;
    bridge.getMail.mockImplementationOnce(async () => mailWhole('2', 'Second'));
    bridge.getMail.mockImplementationOnce(() => new Promise((resolve) => (finishFirst = resolve)));
    bridge.getMail.mockImplementationOnce(async () => mailWhole('2', 'Second'));
    const store = createConsoleStore({ bridge, schedule: manualSchedule() });
    await store.getState().loadMail();
    const slow = store.getState().selectMail('1');
    await store.getState().selectMail('2');
    finishFirst(mailWhole('1', 'First'));
    await slow;
    expect(store.getState().mail.detail).toMatchObject({ id: '2', status: 'loaded', data: { subject: 'Second' } });
  });
});

describe('webhooks view', () => {
  it('shows the selected request\'s body and headers, read through the bridge by its ID', async () => {
    const { bridge } = fakeBridge();
    bridge.listWebhooks.mockResolvedValue({ items: [webhookSummary('9', '/api/v1/inbox/b'), webhookSummary('8', '/api/v1/inbox/a')], next_cursor: null });
    bridge.getWebhook.mockImplementation(async (id) => {
      return { ...withoutPreview(webhookSummary(id, `/api/v1/inbox/${id}`)), headers: { 'webhook-id': `msg_${id}` }, body: `{"job":"${id}"}` };
    });
    const store = createConsoleStore({ bridge, schedule: manualSchedule() });
    store.getState().navigate('webhooks');
    await store.getState().loadWebhooks();
    await store.getState().selectWebhook('8');

    expect(bridge.getWebhook.mock.calls.map(([id]) => id)).toEqual(['9', '8']);
    const html = render(store);
    expect(html).toContain('&quot;job&quot;: &quot;8&quot;');
    expect(html).toContain('msg_8');
    expect(html).not.toContain('msg_9');
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
