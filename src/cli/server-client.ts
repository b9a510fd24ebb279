/**
 * The tally command talking to the `tally serve` that owns its data folder, over loopback HTTP with
 * the server's local token (src/platform/local-server.ts): the same routes an API client calls,
 * their problem+json refusals turned into the command's one-line reason.
 */
import { AppError, type ErrorCode, errorStatuses, type FieldError } from '../platform/errors.ts';
import type { LocalServer } from '../platform/local-server.ts';

/** A refusal from the server whose code this version of the command does not know. */
export class ServerRefusal extends Error {
  constructor(
    message: string,
    readonly errors: FieldError[] | undefined,
  ) {
    super(message);
  }
}

/** Requests to a local server; each throws the server's refusal as an error with its detail. */
export class ServerClient {
  constructor(private readonly server: LocalServer) {}

  /** The server's base URL, for messages. */
  get url(): string {
    return this.server.url;
  }

  /** The server's process id, for messages. */
  get pid(): number {
    return this.server.pid;
  }

  /** Sends a JSON request (or none) and answers the JSON answer. */
  async json<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await this.send(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as T;
  }

  /** A GET whose answer is text (a CSV export), with its headers. */
  async text(path: string): Promise<{ text: string; headers: Headers }> {
    const response = await this.send(path, { method: 'GET' });
    return { text: await response.text(), headers: response.headers };
  }

  /** Streams a body (a CSV import) and answers the JSON answer. */
  async upload<T>(path: string, contentType: string, body: ReadableStream): Promise<T> {
    const response = await this.send(path, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
      duplex: 'half',
    } as RequestInit);
    return (await response.json()) as T;
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.server.url), {
        ...init,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${this.server.token}` },
      });
    } catch (error) {
      const reason = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      throw new ServerRefusal(
        `tally serve (process ${this.server.pid}) owns the data folder but did not answer at ${this.server.url}: ${reason}`,
        undefined,
      );
    }
    if (response.ok) return response;
    const problem = (await response.json().catch(() => ({}))) as { code?: string; detail?: string; errors?: FieldError[] };
    const detail = problem.detail ?? `${response.status} ${response.statusText}`;
    if (problem.code !== undefined && problem.code in errorStatuses) throw new AppError(problem.code as ErrorCode, detail, problem.errors);
    throw new ServerRefusal(detail, problem.errors);
  }
}
