import { describe, expect, it } from 'vitest';
import type { MailRecord } from '../../../src-shared/console-records';
import { createConsoleStore } from '../../../src-renderer/store/console-store';
import { fakeBridge } from './fake-bridge';
import { mailSummary, mailWhole, manualSchedule } from './fixtures';
import { renderConsole } from './store-fixture';

describe('mail view', () => {
  it('is shown in a frame sandboxed with no permissions at all', async () => {
    const { bridge } = fakeBridge();
    bridge.listMail.mockResolvedValue({ items: [mailSummary('1', 'Hello')], next_cursor: null });
    bridge.getMail.mockResolvedValue(mailWhole('1', 'Hello', { html_body: '<p onclick="x()">Hi</p>' }));
    const store = createConsoleStore({ bridge, schedule: manualSchedule() });
    store.getState().navigate('mail');
    await store.getState().loadMail();
    const html = renderConsole(store);
    expect(html).toMatch(/<iframe class="mail-frame" title="HTML body of the message" sandbox="" srcDoc="[^"]*Content-Security-Policy/);
    expect(html).toContain('<h3 id="mail-subject">Hello</h3>');
  });

  it('lists summaries and shows the newest message whole, read through the bridge by its ID', async () => {
    const { bridge } = fakeBridge();
    bridge.listMail.mockResolvedValue({ items: [mailSummary('2', 'Second'), mailSummary('1', 'First')], next_cursor: null });
    bridge.getMail.mockImplementation(async (id) => mailWhole(id, id === '2' ? 'Second' : 'First'));
    const store = createConsoleStore({ bridge, schedule: manualSchedule() });
    store.getState().navigate('mail');

    await store.getState().loadMail();
    expect(bridge.getMail).toHaveBeenCalledTimes(1);
    expect(bridge.getMail).toHaveBeenLastCalledWith('2');
    let html = renderConsole(store);
    expect(html).toContain('preview of First');
    expect(html).toContain('text of Second');
    expect(html).not.toContain('text of First');

    await store.getState().selectMail('1');
    expect(bridge.getMail).toHaveBeenLastCalledWith('1');
    html = renderConsole(store);
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
    expect(renderConsole(store)).toContain('This message is no longer kept');

    bridge.listMail.mockResolvedValue({ items: [mailSummary('4', 'Flaky')], next_cursor: null });
    bridge.getMail.mockRejectedValueOnce(new Error('connection reset'));
    await store.getState().loadMail();
    expect(store.getState().mail.detail).toMatchObject({ id: '4', status: 'failed' });
    expect(renderConsole(store)).toContain('Could not read this message.');
    bridge.getMail.mockResolvedValueOnce(mailWhole('4', 'Flaky'));
    await store.getState().loadMail();
    expect(renderConsole(store)).toContain('text of Flaky');
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
