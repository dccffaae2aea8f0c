import fs from 'node:fs';

/**
 * A text file the caller named (a model folder's inference.yml or definition.json, an eval label file), read only
 * when it is a regular file of at most `maxBytes`: reading a FIFO blocks the thread (for ever, without a writer) and
 * a device such as /dev/zero fills memory. Throws an Error saying why (fs's own for a missing or unreadable file);
 * callers wrap it in their error code.
 */
export function readRegularTextFile(file: string, maxBytes: number): string {
  const stat = fs.statSync(file);
  if (!stat.isFile()) throw new Error(stat.isDirectory() ? 'a directory, not a file' : 'not a regular file');
  if (stat.size > maxBytes) throw new Error(`${stat.size} bytes, more than the limit of ${maxBytes}`);
  return fs.readFileSync(file, 'utf8');
}
