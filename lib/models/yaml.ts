// The subset of YAML that PyYAML's dump writes for PaddleX's inference.yml: block mappings, block sequences (items at
// the key's indentation or deeper, "- key: value" items opening a mapping), plain, 'single' and "double" quoted
// scalars, and flow sequences of scalars. Anchors, tags, multi-line scalars and flow mappings are refused with a
// message naming the line, never guessed.
import { OcrError } from '../errors.js';

interface Line {
  indent: number;
  text: string;
  no: number;
}

const isItem = (text: string) => text === '-' || text.startsWith('- ');

function fail(file: string, no: number, what: string): never {
  throw new OcrError('ERR_OCR_MODEL_LOAD', `${file}: line ${no}: ${what}`);
}

/** Splits a flow sequence's body at commas outside quotes. */
function flowItems(body: string): string[] {
  const items = body.match(/'(?:[^']|'')*'|"(?:\\.|[^"\\])*"|[^,]+/g) ?? [];
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}

function scalar(raw: string, file: string, no: number): unknown {
  let t = raw.trim();
  if (t.startsWith("'")) {
    if (t.length < 2 || !t.endsWith("'")) fail(file, no, 'an unterminated quoted string');
    return t.slice(1, -1).replaceAll("''", "'");
  }
  if (t.startsWith('"')) {
    try {
      return JSON.parse(t) as string;
    } catch {
      fail(file, no, 'a double-quoted string it cannot read');
    }
  }
  if (t.startsWith('[')) {
    if (!t.endsWith(']')) fail(file, no, 'a flow sequence over several lines');
    return flowItems(t.slice(1, -1)).map((item) => scalar(item, file, no));
  }
  if (t.startsWith('{')) {
    if (t === '{}') return {};
    fail(file, no, 'a flow mapping');
  }
  if (/^[&*!|>]/.test(t)) fail(file, no, 'anchors, aliases, tags and block scalars are not read');
  const comment = t.search(/\s#/);
  if (comment >= 0) t = t.slice(0, comment).trimEnd();
  if (t === '' || t === '~' || t === 'null' || t === 'Null' || t === 'NULL') return null;
  if (/^(true|True|TRUE)$/.test(t)) return true;
  if (/^(false|False|FALSE)$/.test(t)) return false;
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  return t;
}

function splitKey(text: string, file: string, no: number): [string, string] {
  const m = /^('(?:[^']|'')*'|"(?:\\.|[^"\\])*"|[^'"][^:]*?)\s*:(?:\s+(.*))?$/.exec(text);
  if (!m) fail(file, no, `expected "key: value", found ${JSON.stringify(text)}`);
  return [String(scalar(m[1]!, file, no)), m[2] ?? ''];
}

function block(lines: Line[], i: number, indent: number, file: string): [unknown, number] {
  return isItem(lines[i]!.text) ? sequence(lines, i, indent, file) : mapping(lines, i, indent, file);
}

function sequence(lines: Line[], i: number, indent: number, file: string): [unknown[], number] {
  const items: unknown[] = [];
  while (i < lines.length && lines[i]!.indent === indent && isItem(lines[i]!.text)) {
    const line = lines[i]!;
    const rest = line.text.slice(1).trimStart();
    if (rest === '') {
      const next = lines[i + 1];
      if (next && next.indent > indent) {
        const [value, after] = block(lines, i + 1, next.indent, file);
        items.push(value);
        i = after;
      } else {
        items.push(null);
        i++;
      }
    } else if (!/^['"[{]/.test(rest) && /^[^:]+:(\s|$)/.test(rest)) {
      // "- key: value" opens a mapping whose keys sit at the column of "key".
      const column = indent + line.text.length - rest.length;
      lines[i] = { indent: column, text: rest, no: line.no };
      const [value, after] = mapping(lines, i, column, file);
      items.push(value);
      i = after;
    } else {
      items.push(scalar(rest, file, line.no));
      i++;
    }
  }
  return [items, i];
}

function mapping(lines: Line[], i: number, indent: number, file: string): [Record<string, unknown>, number] {
  const out: Record<string, unknown> = {};
  while (i < lines.length && lines[i]!.indent === indent && !isItem(lines[i]!.text)) {
    const line = lines[i]!;
    const [key, rest] = splitKey(line.text, file, line.no);
    const next = lines[i + 1];
    if (rest.trim() !== '' && !rest.trim().startsWith('#')) {
      out[key] = scalar(rest, file, line.no);
      i++;
    } else if (next && (next.indent > indent || (next.indent === indent && isItem(next.text)))) {
      const [value, after] = block(lines, i + 1, next.indent, file);
      out[key] = value;
      i = after;
    } else {
      out[key] = null;
      i++;
    }
  }
  if (i < lines.length && lines[i]!.indent > indent) fail(file, lines[i]!.no, 'unexpected indentation');
  return [out, i];
}

/** Parses `text` (the subset above); `file` names it in errors. */
export function parseYamlSubset(text: string, file: string): unknown {
  const lines: Line[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, k) => {
      if (raw.includes('\t') && /^\s*\t/.test(raw)) fail(file, k + 1, 'a tab in the indentation');
      const trimmed = raw.trim();
      if (trimmed === '' || trimmed.startsWith('#') || trimmed === '---' || trimmed === '...') return;
      lines.push({ indent: raw.length - raw.trimStart().length, text: trimmed, no: k + 1 });
    });
  if (lines.length === 0) return null;
  const [value, end] = block(lines, 0, lines[0]!.indent, file);
  if (end < lines.length) fail(file, lines[end]!.no, 'unexpected indentation');
  return value;
}
