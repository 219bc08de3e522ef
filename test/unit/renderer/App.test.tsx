import { describe, expect, it } from 'vitest';
import type { ConsoleStore } from '../../../src-renderer/store/console-store';
import type { ViewName } from '../../../src-renderer/store/nav-slice';
import { advance, eventOf, makeJob } from './fixtures';
import { renderConsole, setupStore } from './store-fixture';

/** Renders the console open on `view`, from a store prepared by the test. */
function render(view: ViewName, prepare: (store: ConsoleStore) => void = () => undefined): string {
  const { store } = setupStore();
  store.getState().navigate(view);
  prepare(store);
  return renderConsole(store);
}

describe('App', () => {
  it('offers one named submit button per kind on Submit, and an empty jobs table on Jobs', () => {
    const submit = render('submit');
    expect(submit).toContain('<h1>Jobdeck</h1>');
    for (const name of ['Submit log job (A)', 'Submit callback job (B)', 'Submit email job (C)']) {
      expect(submit).toContain(`>${name}</button>`);
    }
    // The client time is taken at submit, not when the page rendered.
    expect(submit).toMatch(/placeholder="now \(at submit\)"[^>]*name="client_time" value=""/);

    const jobs = render('jobs');
    expect(jobs).toMatch(/<table id="jobs-table" class="data-table jobs-table" aria-labelledby="jobs-heading" aria-rowcount="1" tabindex="-1">/);
    expect(jobs).toContain('Loading jobs…');
  });

  it('marks the open view in the navigation, and every view link has its name', () => {
    const html = render('workers');
    expect(html).toContain('<nav class="nav" aria-label="Views">');
    expect(html).toMatch(/href="#\/workers" class="nav-link nav-workers" aria-current="page" aria-keyshortcuts="Alt\+5"/);
    for (const view of ['Overview', 'Submit', 'Jobs', 'Queues', 'Workers', 'Mail', 'Webhooks', 'Settings']) {
      expect(html).toMatch(new RegExp(`aria-hidden="true"></span>${view}</a>`));
    }
  });

  it('shows a job row, its detail with the timeline, and a field error tied to its input', () => {
    const queued = makeJob({ id: '0f8fad5b-d9cb-469f-a165-70867728950e', createdSecond: 5 });
    const done = { ...advance(advance(queued, 'STARTED', 10), 'DONE', 20, 100), result: { record_id: 7 } };
    const other = makeJob({ id: '1a00d835-0000-4000-8000-000000000000', createdSecond: 4 });

    const prepare = (store: ConsoleStore) => {
      store.getState().applyEvents([eventOf(done), eventOf(other)]);
      store.getState().selectJob(queued.id);
      store.setState((state) => ({
        submit: {
          ...state.submit,
          log: {
            submitting: false,
            lastJobId: null,
            lastCount: 0,
            progress: null,
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
    };
    const html = render('jobs', prepare);
    const submit = render('submit', prepare);

    expect(html).toContain('aria-label="0f8fad5b, show job details" aria-current="true"');
    expect(html).toMatch(/aria-label="1a00d835, show job details" data-job-id=/);
    expect(html).not.toContain('aria-pressed');
    expect(html).toContain('aria-label="Progress of job 0f8fad5b"');
    expect(html).toContain('aria-label="Progress of job 1a00d835"');
    expect(html).toContain('<pre class="json" role="region" aria-label="Payload" tabindex="0">');
    expect(html).toContain('<pre class="json" role="region" aria-label="Result" tabindex="0">');
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
    const errorId = /<p id="([^"]+)" class="field-error">client_time is bad<\/p>/.exec(submit)?.[1];
    expect(errorId).toBeDefined();
    expect(submit).toMatch(new RegExp(`aria-invalid="true" aria-describedby="${errorId} `));
  });

  it('shows an error in a focusable region', () => {
    const failed = { ...advance(makeJob({ createdSecond: 6 }), 'FAILED', 10), error: 'SMTP said no' };

    const html = render('jobs', (store) => {
      store.getState().applyEvents([eventOf(failed)]);
      store.getState().selectJob(failed.id);
    });

    expect(html).toContain('<pre class="json job-error" role="region" aria-label="Error" tabindex="0">SMTP said no</pre>');
  });

  it('marks the submit button disabled and says why while a job is in flight', () => {
    const html = render('submit', (store) =>
      store.setState((state) => ({ submit: { ...state.submit, email: { submitting: true, problem: null, lastJobId: null, lastCount: 0, progress: null } } })),
    );

    const statusId = /<button type="submit" class="primary" aria-disabled="true" aria-describedby="([^"]+)">Submit email job \(C\)<\/button>/.exec(html)?.[1];
    expect(statusId).toBeDefined();
    expect(html).toContain(`<p id="${statusId}" class="form-result" role="status">Submitting…`);
    expect(html).toContain('<button type="submit" class="primary">Submit log job (A)</button>');
  });
});
