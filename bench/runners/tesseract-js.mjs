// tesseract.js runner, fully offline: traineddata from Debian's /usr/share/tesseract-ocr/5/tessdata (langPath, gzip
// false, cacheMethod 'none'), the WebAssembly core from node_modules/tesseract.js-core (its default in Node).
// One worker (single-threaded WebAssembly; the thread setting does not apply), OEM LSTM_ONLY, lines from
// {blocks: true} output (axis-aligned bboxes). No detection size policy: tesseract reads the full image.
import { createWorker, OEM } from 'tesseract.js';
import { pkgVersion, rect, run } from './common.mjs';

const LANGS = process.env.TESS_LANGS ?? 'eng+chi_sim';
const TESSDATA = process.env.TESSDATA ?? '/usr/share/tesseract-ocr/5/tessdata';

await run({
  system: 'tesseract.js',
  versions: { 'tesseract.js': pkgVersion('tesseract.js'), 'tesseract.js-core': pkgVersion('tesseract.js-core') },
  config: { langs: LANGS, langPath: TESSDATA, oem: 'LSTM_ONLY', workers: 1, note: 'single-threaded wasm' },
  init: () => createWorker(LANGS.split('+'), OEM.LSTM_ONLY, { langPath: TESSDATA, gzip: false, cacheMethod: 'none', logger: () => {}, errorHandler: () => {} /* the call's promise rejects too; without this the worker rethrows uncaught */ }),
  recognize: async (worker, file) => {
    const { data } = await worker.recognize(file, {}, { blocks: true, text: false });
    const out = [];
    for (const b of data.blocks ?? [])
      for (const p of b.paragraphs ?? [])
        for (const l of p.lines ?? []) {
          const text = l.text.trim();
          if (text) out.push({ text, box: rect(l.bbox.x0, l.bbox.y0, l.bbox.x1 - l.bbox.x0, l.bbox.y1 - l.bbox.y0), score: l.confidence / 100 });
        }
    return out;
  },
  close: (worker) => worker.terminate(),
});
