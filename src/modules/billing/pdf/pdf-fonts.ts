/**
 * The fonts a document PDF embeds, and which one prints a given text. The PDF's standard fonts
 * (Helvetica) encode Latin-1 only, so a customer named "Łódź Media" or "北斗広告株式会社" would get
 * question marks on its invoice. DejaVu Sans Condensed (about as wide as Helvetica) prints Latin
 * with every accent, Greek and Cyrillic; Noto Sans JP prints Japanese and the CJK ideographs. Each
 * text is set in the first of them that has a glyph for every one of its characters; what neither
 * can print becomes "?", never an unrelated glyph (a wrong name is worse than a visibly missing one).
 * pdfkit embeds only the glyphs a document uses, so a PDF grows by a few kilobytes per font used.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

type Pdf = PDFKit.PDFDocument;

export type FontWeight = 'regular' | 'bold';

interface Face {
  /** The name the font is registered under in each document. */
  name: string;
  file: string;
}

const require = createRequire(import.meta.url);

/** In order of preference; each script family has a regular and a bold face. */
const families: { regular: Face; bold: Face }[] = [
  {
    regular: { name: 'Sans', file: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf') },
    bold: { name: 'Sans-Bold', file: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf') },
  },
  {
    regular: { name: 'CJK', file: require.resolve('@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf') },
    bold: { name: 'CJK-Bold', file: require.resolve('@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf') },
  },
];

/** The default faces, for labels and figures that Tally writes itself (ASCII and a few dashes). */
export const fonts = { regular: 'Sans', bold: 'Sans-Bold' } as const;

interface LoadedFace {
  bytes: Buffer;
  codePoints: Set<number>;
}

/** Read once per process (Noto Sans JP is 5 MB a face), when the first PDF is drawn. */
let loaded: Map<string, LoadedFace> | undefined;

function loadFaces(): Map<string, LoadedFace> {
  if (loaded) return loaded;
  const faces = new Map<string, LoadedFace>();
  for (const family of families) {
    for (const face of [family.regular, family.bold]) {
      const bytes = fs.readFileSync(face.file);
      faces.set(face.name, { bytes, codePoints: new Set(fontkit.create(bytes).characterSet) });
    }
  }
  loaded = faces;
  return faces;
}

/** Makes every face available to `doc` under its name. */
export function registerFonts(doc: Pdf): void {
  for (const [name, face] of loadFaces()) doc.registerFont(name, face.bytes);
}

/** Characters that are layout, not glyphs: every face "prints" them. */
function isLayout(code: number): boolean {
  return code === 0x0a || code === 0x09 || code === 0x20;
}

/** A text as it will print, and the face to print it in. */
export interface SetText {
  font: string;
  text: string;
}

/**
 * The face that prints `text` in `weight` (the first whose font has every character; else the one
 * that has the most), and the text as it will print, with "?" for what that face lacks.
 */
export function chooseFont(text: string, weight: FontWeight): SetText {
  const faces = loadFaces();
  const characters = Array.from(text);
  let best: { name: string; codePoints: Set<number>; missing: number } | undefined;
  for (const family of families) {
    const name = family[weight].name;
    const codePoints = (faces.get(name) as LoadedFace).codePoints;
    const missing = characters.filter((character) => {
      const code = character.codePointAt(0) as number;
      return !isLayout(code) && !codePoints.has(code);
    }).length;
    if (best === undefined || missing < best.missing) best = { name, codePoints, missing };
    if (missing === 0) break;
  }
  const chosen = best as { name: string; codePoints: Set<number>; missing: number };
  if (chosen.missing === 0) return { font: chosen.name, text };
  const printed = characters
    .map((character) => {
      const code = character.codePointAt(0) as number;
      return isLayout(code) || chosen.codePoints.has(code) ? character : '?';
    })
    .join('');
  return { font: chosen.name, text: printed };
}

/** Selects the face that prints `text` in `weight` (chooseFont) on `doc`; answers the text as it will print. */
export function useFont(doc: Pdf, text: string, weight: FontWeight): string {
  const set = chooseFont(text, weight);
  doc.font(set.font);
  return set.text;
}
