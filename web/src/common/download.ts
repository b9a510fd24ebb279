/**
 * Downloads a file the API renders (an invoice PDF, a CSV export) with the session cookie, and
 * saves it under the name the server gives. Fetching first, rather than following a link, lets the
 * screen show a refusal (a 404, a range too long) as a problem instead of saving it as the file.
 */
import { type Problem, toProblem } from './problem.ts';

export interface DownloadedFile {
  fileName: string;
  bytes: number;
  /** The response headers, for what a caller needs beyond the file (Tally-Export-Parts). */
  headers: Headers;
}

export type DownloadResult = { ok: true; file: DownloadedFile } | { ok: false; problem: Problem };

/** The file name of a Content-Disposition header, or undefined. */
export function dispositionFileName(header: string | null): string | undefined {
  if (!header) return undefined;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  if (encoded) return decodeURIComponent(encoded);
  return /filename="([^"]+)"/i.exec(header)?.[1] ?? /filename=([^;]+)/i.exec(header)?.[1]?.trim();
}

/** Fetches `url` (same origin, `/v1/...`) and hands the body to the browser as a download. */
export async function downloadFile(url: string, fallbackName: string): Promise<DownloadResult> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch {
    return { ok: false, problem: toProblem({ status: 'FETCH_ERROR', error: 'network' }) as Problem };
  }
  if (!response.ok) {
    const text = await response.text();
    let data: unknown = text;
    try {
      data = JSON.parse(text);
    } catch {
      // Not problem+json: the status says enough.
    }
    return { ok: false, problem: toProblem({ status: response.status, data }) as Problem };
  }
  const blob = await response.blob();
  const fileName = dispositionFileName(response.headers.get('content-disposition')) ?? fallbackName;
  const objectUrl = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = objectUrl;
  anchor.download = fileName;
  anchor.style.display = 'none';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The browser has taken the blob once the click is handled; free it a moment later.
  setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
  return { ok: true, file: { fileName, bytes: blob.size, headers: response.headers } };
}
