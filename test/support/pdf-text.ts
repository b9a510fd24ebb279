/** Reading a PDF back in tests: each page's text (runs joined by single spaces, so a wrapped cell reads whole) and its MediaBox. */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface ReadPage {
  text: string;
  mediaBox: number[];
}

/** A4 and US Letter in points, as pdfjs reports a page's MediaBox. */
export const A4 = [0, 0, 595.28, 841.89];
export const LETTER = [0, 0, 612, 792];

export async function readPdfPages(bytes: Uint8Array): Promise<ReadPage[]> {
  // pdfjs takes ownership of the array it is given, so it gets a copy.
  const loaded = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const pages: ReadPage[] = [];
  for (let number = 1; number <= loaded.numPages; number += 1) {
    const page = await loaded.getPage(number);
    const content = await page.getTextContent();
    const text = content.items
      .map((item) => ('str' in item ? item.str : ''))
      .join(' ')
      .replace(/\s+/g, ' ');
    pages.push({ text, mediaBox: [...page.view] });
  }
  await loaded.destroy();
  return pages;
}
