import { useState } from 'react';
import { useShell } from '../../shell/shell-context';

/** The page's notification permission, or null where the browser has no Notification API. */
function permissionNow(): NotificationPermission | null {
  return typeof Notification === 'undefined' ? null : Notification.permission;
}

/**
 * In a browser, the button that asks for the Notification permission (browsers ask only after
 * a click); in the desktop window the shell notifies, and nothing needs allowing.
 */
export function AllowNotifications() {
  const shell = useShell();
  const [permission, setPermission] = useState(permissionNow);
  if (shell || permission === 'granted') return null;
  if (permission === null) return <p className="muted small">This browser has no desktop notifications; firing rules show in the navigation badge.</p>;
  return (
    <div className="notice notice-info" role="note">
      <p className="notice-title">
        {permission === 'denied' ? 'Desktop notifications are blocked for this page in the browser settings.' : 'A firing rule can raise a desktop notification.'}
      </p>
      {permission === 'default' && (
        <button type="button" className="secondary" onClick={() => void Notification.requestPermission().then(setPermission, () => setPermission(permissionNow()))}>
          Allow notifications
        </button>
      )}
    </div>
  );
}
