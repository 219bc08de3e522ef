import type { AlertEvent, AlertNotice, AlertRule } from '../../src-shared/alert-schemas';
import type { AlertResult, CreateAlertRequest, DeleteSubscriptionResult, UpdateAlertRequest } from '../../src-shared/bridge';
import type { ConsoleDeps, SliceCreator } from './deps';
import { field, load, NOT_LOADED, type Loaded, type Slot } from './loaded';
import { act, type Accepted, type Pending } from './pending';

export interface AlertsSlice {
  alertRules: Loaded<readonly AlertRule[]>;
  /** The create or edit form's last send (target: the rule edited, null for a new one). */
  alertForm: Pending<Accepted<AlertResult>, string | null> | null;
  /** The webhook secret of the rule just created: the API shows it this once. */
  createdAlertSecret: { ruleId: string; secret: string } | null;
  selectedAlertId: string | null;
  /** Episodes by rule ID, newest first. */
  alertEvents: Readonly<Record<string, Loaded<readonly AlertEvent[]>>>;
  /** The last delete or enable/disable (target: the rule). */
  alertAction: Pending<Accepted<AlertResult | DeleteSubscriptionResult>> | null;
  loadAlerts(): Promise<void>;
  createAlert(request: CreateAlertRequest): Promise<boolean>;
  updateAlert(id: string, changes: UpdateAlertRequest): Promise<boolean>;
  deleteAlert(id: string): Promise<boolean>;
  selectAlert(id: string | null): void;
  loadAlertEvents(id: string): Promise<void>;
  dismissAlertSecret(): void;
  /** Folds a fire or a resolve the stream told into the rules and their episodes. */
  applyAlertNotice(notice: AlertNotice): void;
  /** Follows the fires and resolves (folding each in, then telling `onNotice`); returns the unfollow. */
  followAlerts(onNotice: (notice: AlertNotice) => void): () => void;
}

/** Episodes shown per rule. */
export const ALERT_EVENT_PAGE_SIZE = 50;

/** How many rules are firing now: the navigation's badge. */
export function firingCount(rules: readonly AlertRule[] | null): number {
  return (rules ?? []).filter((rule) => rule.state === 'firing').length;
}

export function createAlertsSlice({ bridge, now, schedule }: ConsoleDeps): SliceCreator<AlertsSlice> {
  return (set, get) => {
    const rules = field(get, set, 'alertRules');
    const action = field(get, set, 'alertAction');
    const listed = () => rules.read().data ?? [];
    const put = (rule: AlertRule) => {
      const others = listed().filter((r) => r.id !== rule.id);
      const at = listed().findIndex((r) => r.id === rule.id);
      const data = at < 0 ? [...others, rule] : [...others.slice(0, at), rule, ...others.slice(at)];
      set({ alertRules: { ...rules.read(), data } });
    };
    const eventsOf = (id: string): Slot<Loaded<readonly AlertEvent[]>> => ({
      read: () => get().alertEvents[id] ?? NOT_LOADED,
      write: (next) => set({ alertEvents: { ...get().alertEvents, [id]: next } }),
    });

    return {
      alertRules: NOT_LOADED,
      alertForm: null,
      createdAlertSecret: null,
      selectedAlertId: null,
      alertEvents: {},
      alertAction: null,
      loadAlerts: async () => void (await load(rules, async () => (await bridge.listAlerts()).items, now)),

      async createAlert(request) {
        const answer = await act(field(get, set, 'alertForm'), null, () => bridge.createAlert(request));
        if (!answer.ok) return false;
        const { webhook_secret: secret, ...rule } = answer.rule;
        put(rule);
        set({ createdAlertSecret: secret ? { ruleId: rule.id, secret } : null, selectedAlertId: rule.id });
        return true;
      },

      async updateAlert(id, changes) {
        const answer = await act(field(get, set, 'alertForm'), id, () => bridge.updateAlert(id, changes));
        if (answer.ok) put(answer.rule);
        return answer.ok;
      },

      async deleteAlert(id) {
        const answer = await act(action, id, () => bridge.deleteAlert(id), schedule);
        if (!answer.ok) return false;
        set({
          alertRules: { ...rules.read(), data: listed().filter((r) => r.id !== id) },
          selectedAlertId: get().selectedAlertId === id ? null : get().selectedAlertId,
        });
        return true;
      },

      selectAlert: (id) => set({ selectedAlertId: id }),
      dismissAlertSecret: () => set({ createdAlertSecret: null }),

      async loadAlertEvents(id) {
        await load(eventsOf(id), async () => (await bridge.listAlertEvents(id, { limit: ALERT_EVENT_PAGE_SIZE })).items, now);
      },

      followAlerts: (onNotice) =>
        bridge.onAlert((notice) => {
          get().applyAlertNotice(notice);
          onNotice(notice);
        }),

      applyAlertNotice({ type, rule, event }) {
        const known = listed().find((r) => r.id === rule.id);
        if (known) {
          const fired = type === 'alert.fired';
          put({ ...known, state: fired ? 'firing' : 'ok', firing_since: fired ? event.fired_at : null, value: fired ? event.value : known.value });
        } else {
          void get().loadAlerts();
        }
        const episodes = get().alertEvents[rule.id];
        if (episodes?.data) {
          const data = [event, ...episodes.data.filter((e) => e.id !== event.id)];
          set({ alertEvents: { ...get().alertEvents, [rule.id]: { ...episodes, data } } });
        }
      },
    };
  };
}
