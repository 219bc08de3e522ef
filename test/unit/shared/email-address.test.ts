import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiDomain, parseRecipient, recipientSchema, RECIPIENT_RULE } from '../../../src-shared/email-address';
import { emailPayloadSchema } from '../../../src-shared/schemas';

describe('parseRecipient', () => {
  it('reads a bare address, an address in brackets and one with a display name', () => {
    expect(parseRecipient('ops@example.com')).toEqual({ name: '', address: 'ops@example.com' });
    expect(parseRecipient(' <ops@example.com> ')).toEqual({ name: '', address: 'ops@example.com' });
    expect(parseRecipient('Ops Team <ops@example.com>')).toEqual({ name: 'Ops Team', address: 'ops@example.com' });
    expect(parseRecipient('J. Doe <j@example.com>')).toEqual({ name: 'J. Doe', address: 'j@example.com' });
  });

  it('unquotes a quoted display name, which may hold commas and escaped quotes', () => {
    expect(parseRecipient('"Ops, Team" <ops@example.com>')).toEqual({ name: 'Ops, Team', address: 'ops@example.com' });
    expect(parseRecipient('"The \\"Ops\\"" <ops@example.com>')).toEqual({ name: 'The "Ops"', address: 'ops@example.com' });
  });

  it('takes Unicode in the local part (SMTPUTF8) and in the domain (IDN)', () => {
    expect(parseRecipient('jöhn.doe@example.com')?.address).toBe('jöhn.doe@example.com');
    expect(parseRecipient('用户@例子.广告')?.address).toBe('用户@例子.广告');
    expect(parseRecipient('Ärger <ops@bücher.example>')).toEqual({ name: 'Ärger', address: 'ops@bücher.example' });
    expect(parseRecipient("o'brien+tag@mail.example")?.address).toBe("o'brien+tag@mail.example");
    expect(parseRecipient('root@localhost')?.address).toBe('root@localhost');
  });

  it('refuses what is not one address nodemailer can send', () => {
    for (const text of [
      '',
      'ops',
      '@example.com',
      'ops@',
      'ops@example.com, dev@example.com',
      'ops@example.com; dev@example.com',
      '"ops team"@example.com',
      'ops team@example.com',
      '.ops@example.com',
      'ops.@example.com',
      'o..ps@example.com',
      'ops@example..com',
      'ops@-example.com',
      'ops@example-.com',
      'ops@exa_mple.com',
      'ops@[127.0.0.1]',
      'ops@127.0.0.1',
      'Ops <ops@example.com',
      'Ops <ops@example.com> x',
      'Bad"Name <ops@example.com>',
      'Ops:Team <ops@example.com>',
      'Ops\r\n <ops@example.com>',
      'ops@example.com\r\nBcc: all@example.com',
      'o\u200bps@example.com',
      `${'a'.repeat(65)}@example.com`,
      `${'é'.repeat(33)}@example.com`,
      `ops@${'a'.repeat(64)}.example`,
    ]) {
      expect(parseRecipient(text), JSON.stringify(text)).toBeNull();
    }
  });

  it('never accepts a control character or a second address, whatever else surrounds them', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('\r', '\n', '\0', ', x@example.com'), fc.string(), (before, bad, after) => {
        expect(parseRecipient(`${before}a@example.com${bad}${after}`)).toBeNull();
      }),
    );
  });
});

describe('asciiDomain', () => {
  it('gives the punycode nodemailer sends', () => {
    expect(asciiDomain('bücher.example')).toBe('xn--bcher-kva.example');
    expect(asciiDomain('Example.COM')).toBe('example.com');
    expect(asciiDomain('exa mple.com')).toBeNull();
  });
});

describe('recipient field', () => {
  it('keeps the text as written and names the rule when refused', () => {
    expect(emailPayloadSchema.parse({ email_address: 'Ops Team <ops@example.com>' })).toEqual({
      email_address: 'Ops Team <ops@example.com>',
    });
    const refused = recipientSchema.safeParse('ops@example.com, dev@example.com');
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0]).toMatchObject({ message: RECIPIENT_RULE, params: { rule: 'format' } });
    expect(RECIPIENT_RULE).toContain('Name <local@example.com>');
    expect(recipientSchema.safeParse(`${'a'.repeat(310)} <ops@example.com>`).success).toBe(false);
  });
});
