/**
 * Strings built with `+` are ropes in V8: a tree of the pieces, 32 bytes per join plus a header
 * per piece. A rope is made flat (one run of characters) only when something reads it by index,
 * and then in place. Text the render keeps (YAML of 22,756 files, the runbook's blocks, error
 * labels) was kept as ropes until the write encoded it: measured on Node 20, 20,000 strings of
 * 40 joined lines (14.6 MB of text) hold 117 MB as ropes and 15 MB flat, and every rope that
 * survives a young-generation collection is copied and promoted piece by piece.
 */

/** `text`, flattened in place: reading one character by index makes V8 flatten a rope. */
export function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}

/** A character that needs two bytes in V8's strings. */
const WIDE = /[^\u0000-\u00ff]/;

/**
 * `text`, flat and, when every character fits in one byte, stored in one byte per character,
 * for text that is kept. V8 stores a string two bytes per character when it was cut from or
 * joined with a string that needed two (a runbook section with one "—" split into lines), and
 * keeps that form: the bench fleet's kept runbook blocks held 11 MB of text in 19 MB (measured;
 * 12.5 MB once copied so), and the render cache file saved them two bytes a character too.
 * Costs a scan and a copy of the text.
 */
export function compact(text: string): string {
  if (WIDE.test(text)) return flat(text);
  return Buffer.from(text, 'latin1').toString('latin1');
}
