import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ReadFailed } from '../../../src-renderer/components/ViewHeader';

const text = (html: string) => html.replace(/<!-- -->/g, '').replace(/<[^>]+>/g, '|');

describe('ReadFailed', () => {
  it('shows nothing while the last read went well', () => {
    expect(renderToStaticMarkup(<ReadFailed title="Could not read the queues." error={null} />)).toBe('');
  });

  it('says the error, then what happens next, in an alert', () => {
    const html = renderToStaticMarkup(<ReadFailed title="Could not read the mailbox." error="No answer" next="It is retried every 5 seconds." />);
    expect(html).toContain('role="alert"');
    expect(text(html)).toBe('||Could not read the mailbox.||No answer. It is retried every 5 seconds.||');
  });

  it('keeps a message that is already a sentence as it is', () => {
    const html = renderToStaticMarkup(<ReadFailed title="Could not read the workers." error="Redis is unavailable." />);
    expect(text(html)).toBe('||Could not read the workers.||Redis is unavailable.||');
  });
});
