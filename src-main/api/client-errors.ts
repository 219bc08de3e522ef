import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Problem } from '../../src-shared/problem';
import { headersTimeoutMs, type HttpLimits } from './http-limits';
import { PROBLEM_CONTENT_TYPE, problem } from './problems';

/** Node's default limit on the request line and headers together. */
const MAX_HEADER_KIB = 16;

function clientErrorProblem(code: string | undefined, limits: HttpLimits): Problem {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problem(
        408,
        `the request did not arrive in time: headers within ${headersTimeoutMs(limits) / 1000} s, all of it within ${limits.requestTimeoutSeconds} s`,
        'request-timeout',
      );
    case 'HPE_HEADER_OVERFLOW':
      return problem(431, `the request line and headers are over ${MAX_HEADER_KIB} KiB`, 'headers-too-large', [
        { field: '(headers)', rule: 'max', message: `(headers) must be at most ${MAX_HEADER_KIB} KiB with the request line` },
      ]);
    default:
      return problem(400, 'the request is not valid HTTP/1.1', 'invalid-http');
  }
}

/**
 * Node's own refusals, made before Fastify sees a request (a slow client's timeout, headers too
 * large, bytes that are not HTTP), answered as problems like every other error; then the
 * connection is closed.
 */
export function clientErrorHandler(limits: HttpLimits) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const answer = clientErrorProblem(error.code, limits);
    const body = JSON.stringify(answer);
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\ncontent-type: ${PROBLEM_CONTENT_TYPE}\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
