import { Component, type ErrorInfo, type ReactNode } from 'react';

/** What an operator sees instead of a blank window when a view fails to render. */
export function RenderFailure({ onReload }: { onReload: () => void }) {
  return (
    <div className="panel render-failure" role="alert">
      <h2>The console could not show this view.</h2>
      <p>Something it received could not be displayed. Reloading fetches everything again; no job is lost.</p>
      <button type="button" className="primary" onClick={onReload}>
        Reload
      </button>
    </div>
  );
}

interface ErrorBoundaryProps {
  children: ReactNode;
  /** Defaults to reloading the page. */
  onReload?: () => void;
}

/** Catches a render error below it, logs it, and shows {@link RenderFailure} in its place. */
export class ErrorBoundary extends Component<ErrorBoundaryProps, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('Jobdeck: a view failed to render', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return <RenderFailure onReload={this.props.onReload ?? (() => window.location.reload())} />;
  }
}
