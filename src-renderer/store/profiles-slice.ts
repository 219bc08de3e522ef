import type { DeleteSubscriptionResult, ProfileModeResult, ProfileResult } from '../../src-shared/bridge';
import type { CreateProfileRequest, PatchProfileRequest, ProfileList, ProfileTest } from '../../src-shared/profile-schemas';
import type { ConsoleDeps, SliceCreator } from './deps';
import type { ModeSlice } from './mode-slice';
import type { OverviewSlice } from './overview-slice';
import { field, load, NOT_LOADED, type Loaded } from './loaded';

export interface ProfilesSlice {
  /** The connection profiles, the live one's mode (the header shows it on every view) and where passwords are kept. */
  profiles: Loaded<ProfileList>;
  loadProfiles(): Promise<void>;
  /** Creates (`id` null) or changes a profile; the list is read again after. */
  saveProfile(id: string | null, body: CreateProfileRequest | PatchProfileRequest): Promise<ProfileResult>;
  duplicateProfile(id: string): Promise<ProfileResult>;
  deleteProfile(id: string): Promise<DeleteSubscriptionResult>;
  testProfile(id: string): Promise<ProfileTest>;
  /** Switches the console to the profile; every view reloads on the new connections. */
  activateProfile(id: string): Promise<ProfileModeResult>;
  unlockProfile(id: string): Promise<ProfileModeResult>;
  exportProfiles: ConsoleDeps['bridge']['exportProfiles'];
  /** Saves an export's profiles; the list is read again after. */
  importProfiles: ConsoleDeps['bridge']['importProfiles'];
}

export function createProfilesSlice({ bridge, now }: ConsoleDeps): SliceCreator<ProfilesSlice, Pick<OverviewSlice, 'loadSettings' | 'loadHealth'> & Pick<ModeSlice, 'loadMode'>> {
  return (set, get) => {
    // The mode too: a save (read_only), an activation or an unlock changes what the banner and the buttons say at once.
    const reloadingAfter = async <T>(work: Promise<T>): Promise<T> => {
      const result = await work;
      await Promise.all([get().loadProfiles(), get().loadMode()]);
      return result;
    };
    return {
      profiles: NOT_LOADED,
      loadProfiles: async () => void (await load(field(get, set, 'profiles'), () => bridge.listProfiles(), now)),
      saveProfile: (id, body) => reloadingAfter(id === null ? bridge.createProfile(body as CreateProfileRequest) : bridge.updateProfile(id, body)),
      duplicateProfile: (id) => reloadingAfter(bridge.duplicateProfile(id)),
      deleteProfile: (id) => reloadingAfter(bridge.deleteProfile(id)),
      testProfile: (id) => bridge.testProfile(id),
      activateProfile: async (id) => {
        const result = await reloadingAfter(bridge.activateProfile(id));
        if (result.ok) await Promise.all([get().loadSettings(), get().loadHealth()]);
        return result;
      },
      unlockProfile: (id) => reloadingAfter(bridge.unlockProfile(id)),
      exportProfiles: (request) => bridge.exportProfiles(request),
      importProfiles: (request) => reloadingAfter(bridge.importProfiles(request)),
    };
  };
}
