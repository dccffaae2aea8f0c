// Field-by-field validation of options and model definitions: every failure is an OcrError ERR_OCR_INVALID_OPTION
// naming the field's path, what was expected and what was received.
import { OcrError } from './errors.js';

/**
 * `table[key]` when the table itself has that key: a caller's name must never find what every object inherits
 * ("constructor", "toString", "__proto__").
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

export function show(value: unknown): string {
  let shown: string;
  try {
    // A BigInt as written (2n): "received 2" for an option refusing 2n would read as a contradiction.
    shown = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'bigint' ? `${value}n` : String(value);
    if (typeof value === 'object' && value !== null) shown = JSON.stringify(value) ?? shown;
  } catch {
    shown = Object.prototype.toString.call(value);
  }
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}

export function fail(path: string, expected: string, received: unknown): never {
  throw new OcrError('ERR_OCR_INVALID_OPTION', `${path}: expected ${expected}, received ${show(received)}`);
}

export function obj(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, 'an object', value);
  return value as Record<string, unknown>;
}

/** Rejects a key not in `allowed`; `noun` names what a key is ('field' of a definition, 'option' of a call). */
export function keys(o: Record<string, unknown>, allowed: readonly string[], path: string, noun = 'field'): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) {
      throw new OcrError('ERR_OCR_INVALID_OPTION', `${path}.${key}: unknown ${noun} (known: ${allowed.join(', ')})`);
    }
  }
}

export function num(value: unknown, path: string, min: number, max: number, opts: { integer?: boolean; above?: boolean } = {}): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (opts.above ? value > min : value >= min) &&
    value <= max &&
    (!opts.integer || Number.isInteger(value));
  if (!ok) {
    const range = `${opts.above ? '(' : '['}${min}, ${max}]`;
    fail(path, `${opts.integer ? 'an integer' : 'a number'} in ${range}`, value);
  }
  return value as number;
}

export function bool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'a boolean', value);
  return value;
}

export function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(path, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}

export function str(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) fail(path, 'a non-empty string', value);
  return value;
}

/**
 * A file path handed to the addon: a non-empty string without NUL characters (the system reads a NUL as the end
 * of the path, so "a.png\0.jpg" would open a.png: another file than the one named; Node's fs refuses such paths too).
 */
export function filePath(value: unknown, path: string): string {
  const s = str(value, path);
  if (s.includes('\0')) fail(path, 'a path without NUL characters', value);
  return s;
}

export function triple(value: unknown, path: string, positive: boolean): [number, number, number] {
  if (!Array.isArray(value) || value.length !== 3) fail(path, 'an array of 3 numbers', value);
  return Array.from(value, (v: unknown, i) =>
    positive ? num(v, `${path}[${i}]`, 0, 1e6, { above: true }) : num(v, `${path}[${i}]`, -1e6, 1e6),
  ) as [number, number, number];
}


export const clone = <T>(value: T): T => structuredClone(value) as T;

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The built-in definitions, by name (frozen). */

/** Where a definition's values come from. */
export interface ModelSource {
  project: string;
  version: string;
  file: string;
}

/**
 * The name and source of a custom definition: the caller's, else "<base> (custom)" and the base's source
 * ("custom" and dashes without a base).
 */
export function readNameAndSource(
  o: Record<string, unknown>,
  base: { name: string; source: ModelSource } | undefined,
  path: string,
): { name: string; source: ModelSource } {
  const source = o['source'] === undefined ? {} : obj(o['source'], `${path}.source`);
  keys(source, ['project', 'version', 'file'], `${path}.source`);
  const baseSource = base?.source ?? { project: 'custom', version: '-', file: '-' };
  return {
    name: o['name'] === undefined ? (base ? `${base.name} (custom)` : 'custom') : str(o['name'], `${path}.name`),
    source: {
      project: str(source['project'] ?? baseSource.project, `${path}.source.project`),
      version: str(source['version'] ?? baseSource.version, `${path}.source.version`),
      file: str(source['file'] ?? baseSource.file, `${path}.source.file`),
    },
  };
}
