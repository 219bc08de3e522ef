import type { ReactNode } from 'react';

/** A view's title, one line on what it shows, and its actions on the right. */
export function ViewHeader({ id, title, description, children }: { id: string; title: string; description: ReactNode; children?: ReactNode }) {
  return (
    <header className="view-header">
      <div>
        <h2 id={id}>{title}</h2>
        <p className="muted">{description}</p>
      </div>
      {children && <div className="button-row">{children}</div>}
    </header>
  );
}

/** A problem said in words, with what to do next. */
export function Notice({ title, children, tone = 'error' }: { title: string; children?: ReactNode; tone?: 'error' | 'info' }) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'note'}>
      <p className="notice-title">{title}</p>
      {children}
    </div>
  );
}

/**
 * Why the last read of what a view shows failed, if it did (what was read before stays shown);
 * `next` says what happens next or what to check.
 */
/** An error message as a sentence: the browser's own ("Failed to fetch") ends without a stop. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

export function ReadFailed({ title, error, next }: { title: string; error: string | null; next?: string }) {
  if (!error) return null;
  return (
    <Notice title={title}>
      <p>
        {sentence(error)}
        {next && ` ${next}`}
      </p>
    </Notice>
  );
}
