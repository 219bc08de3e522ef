/**
 * What the production guardrails go by: the active connection profile's name, environment,
 * colour and whether changing verbs are refused now. The profiles own the source (the active
 * profile, its `read_only`, a production profile's lock until unlocked for this run); the
 * guardrails read it per request and the window shows it on every view.
 */
export type ProfileEnvironment = 'development' | 'staging' | 'production';

export interface ProfileMode {
  /** The active profile's id (`environment` for the unsaved profile the environment variables make). */
  id: string;
  name: string;
  environment: ProfileEnvironment;
  /** CSS colour of the profile (`#rrggbb`), null for none. */
  color: string | null;
  /** True while every changing verb is refused: the profile's own read-only mode, or a production profile not unlocked for this run. */
  readOnly: boolean;
  /** Why it is read-only, in words an operator reads (null when writable). */
  reason: string | null;
}

export interface ProfileModeSource {
  current(): ProfileMode;
}

/** The profile the environment variables make, as every console ran before profiles: writable. */
export const ENVIRONMENT_PROFILE_MODE: ProfileMode = Object.freeze({
  id: 'environment',
  name: 'environment',
  environment: 'development',
  color: null,
  readOnly: false,
  reason: null,
});
