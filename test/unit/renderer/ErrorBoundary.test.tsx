import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { ErrorBoundary, RenderFailure } from '../../../src-renderer/components/ErrorBoundary';

describe('RenderFailure', () => {
  it('says the view failed and offers a Reload button', () => {
    const html = renderToStaticMarkup(<RenderFailure onReload={() => undefined} />);

    expect(html).toContain('role="alert"');
    expect(html).toContain('>Reload</button>');
  });

  it('is what the boundary shows once a child has thrown', () => {
    expect(ErrorBoundary.getDerivedStateFromError()).toEqual({ failed: true });
    const boundary = new ErrorBoundary({ children: null, onReload: () => undefined });
    boundary.state = { failed: true };

    expect(renderToStaticMarkup(<>{boundary.render()}</>)).toContain('>Reload</button>');
  });
});
