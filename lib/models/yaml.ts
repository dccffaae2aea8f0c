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

// YAML's white space is the space and the tab only: String.trim() would also take Unicode spaces, and PyYAML writes
// the ideographic space U+3000 of PaddleOCR's Chinese dictionary as a plain scalar.
const trimYaml = (text: string) => text.replace(/^[ \t]+|[ \t]+$/g, '');
const trimYamlStart = (text: string) => text.replace(/^[ \t]+/, '');
const trimYamlEnd = (text: string) => text.replace(/[ \t]+$/, '');

// PyYAML's implicit resolvers (YAML 1.1) for plain scalars, so a value reads as the type PaddleX's Python reads:
// '1e3' and '08' stay strings there (a float needs a dot, an exponent a sign; a leading 0 is octal), 'yes'/'off' are
// booleans.
const YAML_INT = /^[-+]?(?:0|[1-9][0-9_]*)$/;
const YAML_OCTAL = /^([-+]?)0([0-7_]+)$/;
const YAML_HEX = /^([-+]?)0x([0-9a-fA-F_]+)$/;
const YAML_BINARY = /^([-+]?)0b([01_]+)$/;
const YAML_FLOAT = /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+][0-9]+)?$/;
const YAML_SEXAGESIMAL = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

function yamlNumber(t: string, file: string, no: number): number | undefined {
  const signed = (sign: string, digits: string, radix: number) => (sign === '-' ? -1 : 1) * parseInt(digits.replaceAll('_', ''), radix);
  if (YAML_INT.test(t)) return Number(t.replaceAll('_', ''));
  let m = YAML_OCTAL.exec(t) ?? undefined;
  if (m) return signed(m[1]!, m[2]!, 8);
  m = YAML_HEX.exec(t) ?? undefined;
  if (m) return signed(m[1]!, m[2]!, 16);
  m = YAML_BINARY.exec(t) ?? undefined;
  if (m) return signed(m[1]!, m[2]!, 2);
  if (YAML_FLOAT.test(t)) return Number(t.replaceAll('_', ''));
  if (/^[-+]?\.(inf|Inf|INF)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(nan|NaN|NAN)$/.test(t)) return NaN;
  if (YAML_SEXAGESIMAL.test(t)) fail(file, no, `a base-60 number (${t}) is not read`);
  return undefined;
}

function fail(file: string, no: number, what: string): never {
  throw new OcrError('ERR_OCR_MODEL_LOAD', `${file}: line ${no}: ${what}`);
}

/** Splits a flow sequence's body at commas outside quotes. */
function flowItems(body: string): string[] {
  const items = body.match(/'(?:[^']|'')*'|"(?:\\.|[^"\\])*"|[^,]+/g) ?? [];
  return items.map(trimYaml).filter((s) => s.length > 0);
}

function scalar(raw: string, file: string, no: number): unknown {
  let t = trimYaml(raw);
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
  const comment = t.search(/[ \t]#/);
  if (comment >= 0) t = trimYamlEnd(t.slice(0, comment));
  if (t === '' || t === '~' || t === 'null' || t === 'Null' || t === 'NULL') return null;
  if (/^(true|True|TRUE|yes|Yes|YES|on|On|ON)$/.test(t)) return true;
  if (/^(false|False|FALSE|no|No|NO|off|Off|OFF)$/.test(t)) return false;
  return yamlNumber(t, file, no) ?? t;
}

function splitKey(text: string, file: string, no: number): [string, string] {
  const m = /^('(?:[^']|'')*'|"(?:\\.|[^"\\])*"|[^'"][^:]*?)[ \t]*:(?:[ \t]+(.*))?$/.exec(text);
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
    const rest = trimYamlStart(line.text.slice(1));
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
    } else if (!/^['"[{]/.test(rest) && /^[^:]+:([ \t]|$)/.test(rest)) {
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
    if (trimYaml(rest) !== '' && !trimYaml(rest).startsWith('#')) {
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
  let ended = false;
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, k) => {
      if (/^ *\t/.test(raw)) fail(file, k + 1, 'a tab in the indentation');
      const trimmed = trimYaml(raw);
      if (trimmed === '' || trimmed.startsWith('#')) return;
      // One document: a '---' before it, a '...' after it; a second document is not merged into the first.
      if (trimmed === '---' || trimmed.startsWith('--- ') || trimmed === '...') {
        if (lines.length > 0) ended = true;
        return;
      }
      if (ended) fail(file, k + 1, 'a second YAML document (after --- or ...)');
      lines.push({ indent: raw.length - trimYamlStart(raw).length, text: trimmed, no: k + 1 });
    });
  if (lines.length === 0) return null;
  const [value, end] = block(lines, 0, lines[0]!.indent, file);
  if (end < lines.length) fail(file, lines[end]!.no, 'unexpected indentation');
  return value;
}
