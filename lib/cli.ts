#!/usr/bin/env node
import { createRequire } from 'node:module';
import { createOcr, type OcrEngine } from './engine.js';
import { OcrError } from './errors.js';
import { runEvalCommand } from './eval/cli.js';

const USAGE = `Usage: ocrkit [options] <image...>
       ocrkit eval --gt_path <labels> --pred_path <results> [--mode det|rec|system] [--json]

Reads the text of each image with the default PP-OCRv4 models.
  --json          one JSON object per image: {"image", "lines": [{"text", "score", "box", "boxScore"}]}
                  (a failed image: {"image", "error": {"code", "message"}})
  --orientation   run the text-line orientation classifier (turns upside-down lines)
  --version       print ocrkit's and ONNX Runtime's versions, the providers and the native source hash
  --help          this text
eval scores result files against ground truth (ICDAR2015 hmean, word accuracy, 1-N.E.D., end-to-end);
'ocrkit eval --help' lists its options.
Exit code: 0 when every image was read, 1 when one failed, 2 for usage errors.`;

const KNOWN = new Set(['--json', '--orientation', '--version', '--help']);

async function printVersion(): Promise<void> {
  const pkg = createRequire(__filename)('../package.json') as { version: string };
  const engine = await createOcr();
  const info = engine.info();
  process.stdout.write(
    `ocrkit ${pkg.version}\nonnxruntime ${info.runtimeVersion} (${info.runtimePath})\n` +
      `providers ${info.providers.join(', ')}\nnative source ${info.sourceHash}\n`,
  );
  await engine.dispose();
}

async function readImages(engine: OcrEngine, images: string[], json: boolean, orientation: boolean): Promise<number> {
  let failures = 0;
  let i = 0;
  // One engine, the batch path: lines of several images share recognition batches.
  for await (const result of engine.recognizeStream(images, { textLineOrientation: orientation })) {
    const image = images[i++]!;
    if ('error' in result) {
      failures++;
      const { code, message } = result.error;
      if (json) process.stdout.write(`${JSON.stringify({ image, error: { code, message } })}\n`);
      else process.stderr.write(`${image}: ${code}: ${message}\n`);
      continue;
    }
    const lines = result.lines.map(({ text, score, box, boxScore }) => ({ text, score, box, boxScore }));
    if (json) {
      process.stdout.write(`${JSON.stringify({ image, lines })}\n`);
    } else {
      process.stdout.write(`${image}\n`);
      for (const line of lines) process.stdout.write(`  ${line.text}\t(${line.score.toFixed(3)})\n`);
    }
  }
  return failures > 0 ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'eval') return runEvalCommand(argv.slice(1));
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const images = argv.filter((a) => !a.startsWith('--'));
  for (const flag of flags) {
    if (!KNOWN.has(flag)) {
      process.stderr.write(`ocrkit: unknown option ${flag}\n${USAGE}\n`);
      return 2;
    }
  }
  if (flags.has('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (flags.has('--version')) {
    await printVersion();
    return 0;
  }
  if (images.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const engine = await createOcr();
  try {
    return await readImages(engine, images, flags.has('--json'), flags.has('--orientation'));
  } finally {
    await engine.dispose();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const e = error instanceof OcrError ? error : { code: 'error', message: String(error) };
    process.stderr.write(`ocrkit: ${e.code}: ${e.message}\n`);
    process.exitCode = 1;
  },
);
