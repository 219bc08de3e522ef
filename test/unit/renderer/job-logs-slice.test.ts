import { describe, expect, it } from 'vitest';
import type { JobLogLine } from '../../../src-shared/job-log';
import { setupStore } from './store-fixture';

const line = (text: string, attempt = 1): JobLogLine => ({ at: '2026-01-01T00:00:00.000Z', attempt, line: text });

describe('job logs slice', () => {
  it("reads the open job's log lines, and again with the lines added since", async () => {
    const { bridge, store } = setupStore();
    bridge.getJobLogs.mockResolvedValueOnce([line('connected')]).mockResolvedValueOnce([line('connected'), line('inserted row', 2)]);
    await store.getState().loadJobLogs('j1');
    expect(store.getState().jobLogs).toMatchObject({ id: 'j1', status: 'loaded', data: [line('connected')] });
    await store.getState().loadJobLogs('j1');
    expect(store.getState().jobLogs.data).toEqual([line('connected'), line('inserted row', 2)]);
    expect(bridge.getJobLogs).toHaveBeenCalledWith('j1');
  });

  it('drops the answer for a job no longer open', async () => {
    const { bridge, store } = setupStore();
    let answerFirst: (lines: JobLogLine[]) => void = () => undefined;
    bridge.getJobLogs.mockImplementationOnce(() => new Promise((resolve) => (answerFirst = resolve))).mockResolvedValueOnce([line('second job')]);
    const first = store.getState().loadJobLogs('j1');
    await store.getState().loadJobLogs('j2');
    answerFirst([line('first job')]);
    await first;
    expect(store.getState().jobLogs).toMatchObject({ id: 'j2', data: [line('second job')] });
  });
});
