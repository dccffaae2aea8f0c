#!/usr/bin/env node
import { createRequire } from 'node:module';
import { createOcr } from './engine.js';
import { OcrError } from './errors.js';

const USAGE = `Usage: ocrkit [--json] [--polygon] <image...>

Finds the text regions of each image with the default PP-OCRv4 detector.
  --json       one JSON object per image: {"image", "regions": [{"box", "score"}]}
               (a failed image: {"image", "error": {"code", "message"}})
  --polygon    report outline polygons as well as boxes
  --version    print versions, providers and the native source hash
  --help       this text`;

async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const images = argv.filter((a) => !a.startsWith('--'));
  const known = new Set(['--json', '--polygon', '--version', '--help']);
  for (const flag of flags) {
    if (!known.has(flag)) {
      process.stderr.write(`ocrkit: unknown option ${flag}\n${USAGE}\n`);
      return 2;
    }
  }
  if (flags.has('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (flags.has('--version')) {
    const pkg = createRequire(__filename)('../package.json') as { version: string };
    const engine = await createOcr();
    const info = engine.info();
    process.stdout.write(
      `ocrkit ${pkg.version}\nonnxruntime ${info.runtimeVersion} (${info.runtimePath})\n` +
        `providers ${info.providers.join(', ')}\nnative source ${info.sourceHash}\n`,
    );
    await engine.dispose();
    return 0;
  }
  if (images.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const engine = await createOcr();
  const boxType = flags.has('--polygon') ? 'polygon' : 'quad';
  let failures = 0;
  for (const image of images) {
    try {
      const regions = await engine.detect(image, { boxType });
      if (flags.has('--json')) {
        process.stdout.write(`${JSON.stringify({ image, regions })}\n`);
      } else {
        process.stdout.write(`${image}: ${regions.length} text regions\n`);
        for (const r of regions) {
          process.stdout.write(`  ${r.box.map(([x, y]) => `${x},${y}`).join(' ')}  score ${r.score.toFixed(3)}\n`);
        }
      }
    } catch (error) {
      failures += 1;
      const e = error instanceof OcrError ? error : new OcrError('ERR_OCR_INTERNAL', String(error));
      if (flags.has('--json')) {
        process.stdout.write(`${JSON.stringify({ image, error: { code: e.code, message: e.message } })}\n`);
      } else {
        process.stderr.write(`${image}: ${e.code}: ${e.message}\n`);
      }
    }
  }
  await engine.dispose();
  return failures > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const e = error as { code?: string; message?: string };
    process.stderr.write(`ocrkit: ${e.code ?? 'error'}: ${e.message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
