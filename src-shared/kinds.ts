/** The three job kinds of the book's chapter, by Jobdeck name. */
export const JOB_KINDS = ['log', 'callback', 'email'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** The book's letters for the kinds: A writes a log record, B calls back, C sends mail. */
export const JOB_LETTERS = ['A', 'B', 'C'] as const;
export type JobLetter = (typeof JOB_LETTERS)[number];

export const KIND_LETTER: Readonly<Record<JobKind, JobLetter>> = {
  log: 'A',
  callback: 'B',
  email: 'C',
};

const LETTER_KIND: Readonly<Record<JobLetter, JobKind>> = { A: 'log', B: 'callback', C: 'email' };

/** Accepts a kind by name (`log`) or by the book's letter (`A`, `a`); undefined otherwise. */
export function parseKind(value: string): JobKind | undefined {
  if ((JOB_KINDS as readonly string[]).includes(value)) return value as JobKind;
  const upper = value.toUpperCase();
  return upper in LETTER_KIND ? LETTER_KIND[upper as JobLetter] : undefined;
}
