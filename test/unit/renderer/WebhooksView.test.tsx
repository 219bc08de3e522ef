import { describe, expect, it } from 'vitest';
import { createConsoleStore } from '../../../src-renderer/store/console-store';
import { fakeBridge } from './fake-bridge';
import { manualSchedule, webhookSummary, withoutPreview } from './fixtures';
import { renderConsole } from './store-fixture';

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
    const html = renderConsole(store);
    expect(html).toContain('&quot;job&quot;: &quot;8&quot;');
    expect(html).toContain('msg_8');
    expect(html).not.toContain('msg_9');
  });
});
