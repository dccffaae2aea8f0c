import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const imagesDir = path.join(fixturesDir, 'images');
export const badDir = path.join(fixturesDir, 'bad');

/** Every generated detection fixture: {name, file, truth: {width, height, lines}}. */
export function detectionFixtures() {
  return fs
    .readdirSync(imagesDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((json) => {
      const truth = JSON.parse(fs.readFileSync(path.join(imagesDir, json), 'utf8'));
      const base = json.slice(0, -5);
      const file = fs.readdirSync(imagesDir).find((f) => f !== json && path.parse(f).name === base);
      return { name: base, file: path.join(imagesDir, file), truth };
    });
}
