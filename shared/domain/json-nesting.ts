// How deeply JSON text nests, read from the text itself: one pass over the characters counting the
// brackets outside strings, no parse and no recursion. The edges (the /v1 body, the CLI's files, a
// webhook body) refuse text nested deeper than MAX_JSON_DEPTH with this before parsing, so no value
// 20,000 levels deep ever reaches code that recurses over it (JSON.stringify overflows the stack at
// a few thousand levels). Pure: no AWS imports.
import { MAX_JSON_DEPTH } from './limits.js';

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \
const NEWLINE = 0x0a; // \n

/**
 * Where `text` (one JSON value, or NDJSON lines) first opens more than `max` nested arrays and
 * objects: the 1-based line of that bracket, or undefined when it never does. Malformed text is
 * not judged here; the parser refuses it afterwards.
 */
export function nestingOverflowLine(text: string, max: number = MAX_JSON_DEPTH): number | undefined {
  let depth = 0;
  let line = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      else if (c === NEWLINE) line++;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      if (depth > max) return line;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth = Math.max(0, depth - 1);
    else if (c === NEWLINE) line++;
  }
  return undefined;
}

export const TOO_DEEP_MESSAGE = `nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`;
