import { describe, expect, it } from 'vitest';
import { isConnectFailure, isPostgresUnreachable, isSmtpUnreachable } from '../../../src-worker/handlers/unreachable';

const withCode = (message: string, fields: Record<string, unknown>): Error => Object.assign(new Error(message), fields);

describe('what counts as a dependency unreachable', () => {
  it('PostgreSQL: socket errors, pg words of a lost or silent connection, SQLSTATE 08 and 57P01–57P03; never a data error', () => {
    expect(isPostgresUnreachable(withCode('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isPostgresUnreachable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isPostgresUnreachable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isPostgresUnreachable(new Error('Query read timeout'))).toBe(true);
    expect(isPostgresUnreachable(withCode('terminating connection due to administrator command', { code: '57P01' }))).toBe(true);
    expect(isPostgresUnreachable(withCode('the database system is starting up', { code: '57P03' }))).toBe(true);
    expect(isPostgresUnreachable(withCode('connection failure', { code: '08006' }))).toBe(true);
    expect(isPostgresUnreachable(withCode('date/time field value out of range', { code: '22008' }))).toBe(false);
    expect(isPostgresUnreachable(withCode('duplicate key', { code: '23505' }))).toBe(false);
    expect(isPostgresUnreachable(withCode('relation does not exist', { code: '42P01' }))).toBe(false);
    expect(isPostgresUnreachable(new Error('something else'))).toBe(false);
  });

  it("SMTP: a connection refused, timed out, without greeting or cut; never the server's answer", () => {
    expect(isSmtpUnreachable(withCode('connect ECONNREFUSED', { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isSmtpUnreachable(withCode('Greeting never received', { code: 'ETIMEDOUT' }))).toBe(true);
    expect(isSmtpUnreachable(withCode('Connection closed unexpectedly', { code: 'ECONNECTION' }))).toBe(true);
    expect(isSmtpUnreachable(withCode('socket hang up', { code: 'ESOCKET' }))).toBe(true);
    expect(isSmtpUnreachable(withCode('Server terminates connection. response=421', { code: 'ECONNECTION', responseCode: 421 }))).toBe(false);
    expect(isSmtpUnreachable(withCode('451 try again later', { code: 'EMESSAGE', responseCode: 451 }))).toBe(false);
    expect(isSmtpUnreachable(withCode('550 no such mailbox', { code: 'EENVELOPE', responseCode: 550 }))).toBe(false);
  });

  it("an http handler's endpoint: a connection not made (refused, reset, no such host), not a timeout", () => {
    expect(isConnectFailure({ code: 'ECONNREFUSED' })).toBe(true);
    expect(isConnectFailure({ code: 'ENOTFOUND' })).toBe(true);
    expect(isConnectFailure({ code: 'ETIMEDOUT' })).toBe(false);
    expect(isConnectFailure(undefined)).toBe(false);
  });
});
