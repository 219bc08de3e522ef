import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { ValidationError, toFieldErrors, type FieldError, type Problem } from '../../src-shared/problem';
import { BrokerUnavailableError } from '../broker/job-publisher';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  426: 'Upgrade Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An RFC 9457 problem; `type` names Jobdeck's own kinds of problem. */
export function problem(status: number, detail: string, name?: string, errors?: FieldError[]): Problem {
  return {
    type: name ? `urn:jobdeck:problem:${name}` : 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...(errors ? { errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** Parses input with a schema, or throws a ValidationError naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new ValidationError(toFieldErrors(parsed.error, input, prefix));
  return parsed.data;
}

const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

/** A dependency that is down (RabbitMQ, Redis, PostgreSQL) rather than a bug: answered 503. */
export function isOutage(error: Error): boolean {
  const code = (error as { code?: string }).code;
  return (
    error instanceof BrokerUnavailableError ||
    (code !== undefined && CONNECTION_ERROR_CODES.has(code)) ||
    error.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|enableOfflineQueue|Connection terminated|Command timed out|Query read timeout|timeout exceeded when trying to connect/i.test(
      error.message,
    )
  );
}
