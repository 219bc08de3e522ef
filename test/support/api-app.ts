import { buildApi, type ApiOptions } from '../../src-main/api/server';

/** A service no request of the test reaches: route registration calls none of them. */
export const UNUSED = {} as never;

/** The host the app below answers as (its guard's own address). */
export const API_HOST = '127.0.0.1:8000';

/** The API app on placeholder services, with those a test needs given in `services`; for inject(). */
export function apiWith(services: Partial<ApiOptions> = {}): ReturnType<typeof buildApi> {
  return buildApi({
    jobs: UNUSED,
    relay: UNUSED,
    mailbox: UNUSED,
    inbox: UNUSED,
    health: async () => ({ ok: true }),
    guard: { host: '127.0.0.1', port: () => 8000, allowedHosts: [] },
    webhooks: { store: UNUSED, dispatcher: UNUSED },
    batches: UNUSED,
    queues: UNUSED,
    settings: UNUSED,
    ...services,
  });
}
