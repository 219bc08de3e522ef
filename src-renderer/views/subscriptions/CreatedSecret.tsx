import { SecretNotice } from '../../components/SecretNotice';
import { useConsole } from '../../store/context';

/** The secret of the subscription just created, shown this once, with a copy button. */
export function CreatedSecret() {
  const created = useConsole((state) => state.createdSecret);
  const dismiss = useConsole((state) => state.dismissSecret);
  if (!created) return null;
  return <SecretNotice title="Signing secret: copy it now, it is not shown again." label="Signing secret" secret={created.secret} onHide={dismiss} />;
}
