import { useState } from 'react';
import { profileExportSchema } from '../../../src-shared/profile-schemas';
import { useConsole } from '../../store/context';
import { problemText } from './profile-form';

/** Export (passwords only when asked, then encrypted with a passphrase) and import of saved profiles. */
export function ProfilesTransfer({ onMessage }: { onMessage: (m: { text: string; error: boolean }) => void }) {
  const exportProfiles = useConsole((state) => state.exportProfiles);
  const importProfiles = useConsole((state) => state.importProfiles);
  const [secrets, setSecrets] = useState(false);
  const [passphrase, setPassphrase] = useState('');

  const exportFile = async () => {
    const result = await exportProfiles({ secrets, ...(secrets ? { passphrase } : {}) });
    if (!result.ok) return onMessage({ text: problemText(result.problem), error: true });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([JSON.stringify(result.document, null, 2)], { type: 'application/json' }));
    link.download = 'jobdeck-profiles.json';
    link.click();
    URL.revokeObjectURL(link.href);
    onMessage({ text: `Exported ${result.document.profiles.length} profiles${secrets ? ', passwords encrypted with the passphrase' : ', without passwords'}.`, error: false });
  };

  const importFile = async (file: File) => {
    const parsed = profileExportSchema.safeParse(parseJson(await file.text()));
    if (!parsed.success) return onMessage({ text: `${file.name} is not a Jobdeck profiles export.`, error: true });
    const result = await importProfiles({ document: parsed.data, ...(passphrase ? { passphrase } : {}) });
    if (!result.ok) return onMessage({ text: problemText(result.problem), error: true });
    onMessage({ text: `Imported ${result.imported.items.length} profiles.`, error: false });
  };

  return (
    <div className="profiles-transfer">
      <label className="profile-check">
        <input type="checkbox" checked={secrets} onChange={(e) => setSecrets(e.target.checked)} /> Include passwords (encrypted)
      </label>
      <label className="profile-field">
        <span>Passphrase</span>
        <input type="password" value={passphrase} autoComplete="new-password" onChange={(e) => setPassphrase(e.target.value)} />
        <small className="muted">For an export with passwords, and to import one.</small>
      </label>
      <div className="button-row compact">
        <button type="button" className="secondary" onClick={() => void exportFile()}>
          Export…
        </button>
        <label className="button-like secondary">
          Import…
          <input type="file" accept="application/json,.json" className="visually-hidden" onChange={(e) => e.target.files?.[0] && void importFile(e.target.files[0])} />
        </label>
      </div>
    </div>
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
