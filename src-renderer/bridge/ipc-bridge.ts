import type { JobdeckBridge } from '../../src-shared/bridge';
import type { ConsoleBridge } from './console-bridge';

/**
 * The bridge over Electron IPC: the verbs the preload exposes as `window.jobdeck`. IPC lives
 * as long as the window, so the feed is always `live`.
 */
export function createIpcBridge(api: JobdeckBridge): ConsoleBridge {
  return {
    submitJob: (request) => api.submitJob(request),
    getJob: (id) => api.getJob(id),
    listJobs: (request) => api.listJobs(request),
    onJobEvent: (listener) => api.onJobEvent(listener),
    onConnectionChange(listener) {
      listener('live');
      return () => undefined;
    },
  };
}
