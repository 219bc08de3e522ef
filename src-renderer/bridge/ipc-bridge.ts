import type { JobdeckBridge } from '../../src-shared/bridge';
import type { ConsoleBridge } from './console-bridge';
import { checkedBatchEvent, checkedJobEvent, checkedResyncEvent } from './job-event-guard';

/**
 * The bridge over Electron IPC: the verbs the preload exposes as `window.jobdeck`. IPC lives
 * as long as the window, so the feed is always `live`. Events are checked here, as on the
 * HTTP bridge: a malformed one is dropped with a warning.
 */
export function createIpcBridge(api: JobdeckBridge): ConsoleBridge {
  return {
    submitJob: (request) => api.submitJob(request),
    getJob: (id) => api.getJob(id),
    listJobs: (request) => api.listJobs(request),
    cancelJob: (id) => api.cancelJob(id),
    retryJob: (id) => api.retryJob(id),
    listWorkers: () => api.listWorkers(),
    scaleWorkers: (kind, count) => api.scaleWorkers(kind, count),
    restartWorker: (id) => api.restartWorker(id),
    stopWorker: (id) => api.stopWorker(id),
    getHealth: () => api.getHealth(),
    listMail: (request) => api.listMail(request),
    getMail: (id) => api.getMail(id),
    listWebhooks: (request) => api.listWebhooks(request),
    getWebhook: (id) => api.getWebhook(id),
    listQueues: () => api.listQueues(),
    getSettings: () => api.getSettings(),
    purgeQueue: (kind) => api.purgeQueue(kind),
    listBatches: (request) => api.listBatches(request),
    getBatch: (id) => api.getBatch(id),
    createBatch: (request) => api.createBatch(request),
    listSubscriptions: () => api.listSubscriptions(),
    createSubscription: (request) => api.createSubscription(request),
    deleteSubscription: (id) => api.deleteSubscription(id),
    listDeliveries: (id, request) => api.listDeliveries(id, request),
    redeliver: (id, deliveryId) => api.redeliver(id, deliveryId),
    getApiDocument: () => api.getApiDocument(),
    onBatchEvent: (listener) =>
      api.onBatchEvent((message: unknown) => {
        const event = checkedBatchEvent(message, 'IPC');
        if (event) listener(event);
      }),
    onResync: (listener) =>
      api.onResync((message: unknown) => {
        const event = checkedResyncEvent(message, 'IPC');
        if (event) listener(event);
      }),
    onJobEvent: (listener) =>
      api.onJobEvent((message: unknown) => {
        const event = checkedJobEvent(message, 'IPC');
        if (event) listener(event);
      }),
    onConnectionChange(listener) {
      listener('live');
      return () => undefined;
    },
  };
}
