/** Stable error codes. Mirrors cpp/core/error.h (a test checks both lists match). */
export const ERROR_CODES = [
  'ERR_OCR_INVALID_OPTION',
  'ERR_OCR_INVALID_IMAGE',
  'ERR_OCR_IMAGE_TOO_LARGE',
  'ERR_OCR_UNSUPPORTED_FORMAT',
  'ERR_OCR_FILE_NOT_FOUND',
  'ERR_OCR_FILE_READ',
  'ERR_OCR_FILE_WRITE',
  'ERR_OCR_MODEL_LOAD',
  'ERR_OCR_MODEL_SHAPE',
  'ERR_OCR_PROVIDER_UNAVAILABLE',
  'ERR_OCR_RUNTIME_LOAD',
  'ERR_OCR_RUNTIME',
  'ERR_OCR_ABORTED',
  'ERR_OCR_DISPOSED',
  'ERR_OCR_OUT_OF_MEMORY',
  'ERR_OCR_INTERNAL',
  'ERR_OCR_BINARY_LOAD',
] as const;

export type OcrErrorCode = (typeof ERROR_CODES)[number];

/** Every error ocrkit raises: `code` is stable, `message` names the problem. */
export class OcrError extends Error {
  readonly code: OcrErrorCode;

  constructor(code: OcrErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OcrError';
    this.code = code;
  }
}

function isErrorCode(value: unknown): value is OcrErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * Turns a native rejection into an OcrError whose stack is the caller's
 * (captured when the call was made), not the worker's completion callback.
 */
export function fromNative(error: unknown, callSite: Error): OcrError {
  const source = error as { code?: unknown; message?: unknown } | undefined;
  const code = isErrorCode(source?.code) ? source.code : 'ERR_OCR_INTERNAL';
  const message = typeof source?.message === 'string' ? source.message : String(error);
  const result = new OcrError(code, message);
  const frames = callSite.stack?.split('\n').slice(1).join('\n');
  if (frames) result.stack = `OcrError [${code}]: ${message}\n${frames}`;
  return result;
}
