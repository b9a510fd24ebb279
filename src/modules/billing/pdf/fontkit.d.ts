// fontkit ships no types: this declares the one call the PDF fonts use (reading which characters a
// font has glyphs for). pdfkit itself embeds the fonts.
declare module 'fontkit' {
  interface Font {
    /** Every Unicode code point the font has a glyph for. */
    characterSet: number[];
  }
  export function create(buffer: Buffer): Font;
}
