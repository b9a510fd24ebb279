/**
 * The server's logs: JSON lines (pino, with a request id) for pipes, files and log collectors, or
 * short readable lines on a terminal, where JSON under the start-up banner is only noise. The
 * format is `LOG_FORMAT`, else readable exactly when stdout is a terminal (docs/operations.md, Logs).
 */
import { type FastifyReply, type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify';
import pretty from 'pino-pretty';

export type LogFormat = 'json' | 'pretty';

export interface LogSettings {
  level: string;
  format: LogFormat;
}

/** The format to use when none is configured: readable on a terminal, JSON otherwise. */
export function defaultLogFormat(stdout: { isTTY?: boolean } = process.stdout): LogFormat {
  return stdout.isTTY === true ? 'pretty' : 'json';
}

/**
 * Fastify's own request logging writes two entries per request holding the whole request and
 * answer; readable logs say one line per answer instead: `GET /v1/contracts 200 4 ms`.
 */
class RequestLines extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = `${request.method} ${request.url} ${reply.statusCode} ${Math.round(reply.elapsedTime)} ms`;
    if (error) reply.log.error({ err: error }, line);
    else reply.log.info(line);
  }
}

/** Fastify's logger options for the settings (false: no logs, as in the tests). */
export function loggerOptions(settings: LogSettings | false): Pick<FastifyServerOptions, 'logger' | 'logController'> {
  if (settings === false) return { logger: false };
  if (settings.format === 'json') return { logger: { level: settings.level } };
  // Synchronous: a terminal's few lines a second cost nothing, and none is lost when the process exits.
  const stream = pretty({ sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,reqId' });
  return { logger: { level: settings.level, stream }, logController: new RequestLines() };
}
