import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { App } from '../../../src-renderer/App';
import { createConsoleStore } from '../../../src-renderer/store/console-store';
import { ConsoleStoreProvider } from '../../../src-renderer/store/context';
import { fakeBridge } from './fake-bridge';
import { advance, eventOf, makeJob, manualSchedule } from './fixtures';

/** Renders the console to HTML (no DOM needed) from a store in a known state. */
function render(prepare: (store: ReturnType<typeof createConsoleStore>) => void = () => undefined): string {
  const store = createConsoleStore({ bridge: fakeBridge().bridge, schedule: manualSchedule() });
  prepare(store);
  // Server rendering reads getInitialState(); make it the state the test prepared.
  const prepared = { ...store, getInitialState: store.getState };
  return renderToStaticMarkup(
    <ConsoleStoreProvider value={prepared}>
      <App />
    </ConsoleStoreProvider>,
  );
}

describe('App', () => {
  it('offers one named submit button per kind and an empty jobs table', () => {
    const html = render();

    expect(html).toContain('<h1>Jobdeck</h1>');
    for (const name of ['Submit log job (A)', 'Submit callback job (B)', 'Submit email job (C)']) {
      expect(html).toContain(`>${name}</button>`);
    }
    expect(html).toMatch(/<table class="jobs-table" aria-labelledby="jobs-heading">/);
    expect(html).toContain('Loading jobs…');
    expect(html).toMatch(/value="\d{10}"/);
  });

  it('shows a job row, its detail with the timeline, and a field error tied to its input', () => {
    const queued = makeJob({ id: '0f8fad5b-d9cb-469f-a165-70867728950e', createdSecond: 5 });
    const done = { ...advance(advance(queued, 'STARTED', 10), 'DONE', 20, 100), result: { record_id: 7 } };

    const html = render((store) => {
      store.getState().applyEvents([eventOf(done, 3)]);
      store.getState().selectJob(queued.id);
      store.setState((state) => ({
        submit: {
          ...state.submit,
          log: {
            submitting: false,
            lastJobId: null,
            problem: {
              type: 'about:blank',
              title: 'The payload is not valid',
              status: 400,
              detail: '',
              errors: [{ field: 'payload.client_time', rule: 'format', message: 'payload.client_time is bad' }],
            },
          },
        },
      }));
    });

    expect(html).toContain('aria-label="0f8fad5b, show job details"');
    expect(html).toContain('title="0f8fad5b-d9cb-469f-a165-70867728950e"');
    expect(html).toContain('<td>log (A)</td>');
    expect(html).toContain('aria-valuenow="100"');
    expect(html).toContain('<h2 id="detail-heading" tabindex="-1">Job 0f8fad5b</h2>');
    const timeline = html.slice(html.indexOf('<ol class="timeline"'), html.indexOf('</ol>'));
    expect(timeline.match(/status-badge status-[a-z-]+">[A-Z ]+</g)).toEqual([
      'status-badge status-queued">QUEUED<',
      'status-badge status-started">STARTED<',
      'status-badge status-done">DONE<',
    ]);
    expect(html).toContain('&quot;record_id&quot;: 7');
    const errorId = /<p id="([^"]+)" class="field-error">payload.client_time is bad<\/p>/.exec(html)?.[1];
    expect(errorId).toBeDefined();
    expect(html).toMatch(new RegExp(`aria-invalid="true" aria-describedby="${errorId} `));
  });
});
