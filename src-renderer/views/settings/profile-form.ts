import type { Problem } from '../../../src-shared/problem';
import type { ConnectionProfile, CreateProfileRequest, ProfileEnvironmentName } from '../../../src-shared/profile-schemas';

/** What the profile form edits, as text: the workers as `log=2, email=0`. */
export interface ProfileDraft {
  name: string;
  environment: ProfileEnvironmentName;
  color: string;
  amqp_url: string;
  redis_url: string;
  database_url: string;
  smtp_url: string;
  namespace: string;
  workers: string;
  read_only: boolean;
}

export const EMPTY_DRAFT: ProfileDraft = {
  name: '',
  environment: 'development',
  color: '#2563eb',
  amqp_url: 'amqp://guest:guest@127.0.0.1:5672',
  redis_url: 'redis://127.0.0.1:6379',
  database_url: 'postgres://127.0.0.1:5432/jobdeck',
  smtp_url: '',
  namespace: 'jobdeck',
  workers: '',
  read_only: false,
};

/** A profile in the form (its URLs masked as the API answers them: saving them back keeps the passwords). */
export function draftOf(profile: ConnectionProfile): ProfileDraft {
  return {
    ...profile,
    color: profile.color ?? '#64748b',
    smtp_url: profile.smtp_url ?? '',
    workers: Object.entries(profile.workers)
      .map(([kind, count]) => `${kind}=${count}`)
      .join(', '),
  };
}

/** The request body of a draft; a malformed workers text is said in words (the API checks the rest). */
export function bodyOf(draft: ProfileDraft): { body: CreateProfileRequest } | { error: string } {
  const workers: Record<string, number> = {};
  for (const part of draft.workers.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([A-Za-z0-9-]+)\s*=\s*(\d{1,2})$/.exec(part);
    if (!match) return { error: `Workers: "${part}" must look like log=2 (a kind, then a count).` };
    workers[match[1]!] = Number(match[2]);
  }
  return {
    body: { ...draft, color: draft.color || null, smtp_url: draft.smtp_url.trim() || null, workers },
  };
}

/** A refusal in one line: its detail, then each field's message. */
export function problemText(problem: Problem): string {
  return [problem.detail, ...(problem.errors ?? []).map((e) => e.message)].join(' — ');
}
