import { describe, expect, it } from 'vitest';
import { LineSplitter, MAX_LINE_CHARS, readStdoutLine, StderrTail, STDERR_TAIL_CHARS, type CommandReport } from '../../../src-worker/handlers/command-output';

function split(chunks: Buffer[]): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

function read(lines: string[]): { report: CommandReport; progress: unknown[]; logs: string[] } {
  const report: CommandReport = { permanent: false };
  const progress: unknown[] = [];
  const logs: string[] = [];
  for (const line of lines) readStdoutLine(line, report, { progress: (p) => progress.push(p), log: (l) => logs.push(l) });
  return { report, progress, logs };
}

describe('command output', () => {
  it('splits lines across chunks, CRLF and a UTF-8 character cut in two, and keeps a last line without newline', () => {
    const text = Buffer.from('héllo\r\nwor');
    const euro = Buffer.from('€');
    expect(split([text.subarray(0, 2), text.subarray(2), Buffer.from('ld '), euro.subarray(0, 1), euro.subarray(1), Buffer.from('\nlast')])).toEqual([
      'héllo',
      'world €',
      'last',
    ]);
  });

  it('cuts a line past MAX_LINE_CHARS and drops the rest of it', () => {
    const lines = split([Buffer.alloc(MAX_LINE_CHARS + 10, 'x'), Buffer.alloc(MAX_LINE_CHARS, 'z'), Buffer.from('still the long line\nnext\n')]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`${'x'.repeat(MAX_LINE_CHARS)} …(cut)`);
    expect(lines[1]).toBe('next');
  });

  it('reads the protocol messages and keeps every other line, JSON or not, as a log line', () => {
    const { report, progress, logs } = read([
      '{"progress": 30}',
      '{"log": "step one"}',
      '[1, 2]',
      '{"other": true}',
      'plain text',
      '',
      '{"result": "scalar"}',
      '{"result": {"n": 1}, "permanent": true}',
    ]);
    expect(progress).toEqual([30]);
    expect(logs).toEqual(['step one', '[1, 2]', '{"other": true}', 'plain text']);
    expect(report).toEqual({ result: { n: 1 }, permanent: true });
  });

  it("keeps stderr's last 20 lines, at most STDERR_TAIL_CHARS", () => {
    const tail = new StderrTail();
    for (let n = 1; n <= 25; n++) tail.add(`line ${n}`);
    expect(tail.text().split('\n')).toEqual(Array.from({ length: 20 }, (_, n) => `line ${n + 6}`));
    const long = new StderrTail();
    long.add('y'.repeat(STDERR_TAIL_CHARS * 2));
    expect(long.text()).toBe(`…${'y'.repeat(STDERR_TAIL_CHARS)}`);
  });
});
