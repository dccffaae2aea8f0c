// A platform without a prebuilt binary fails at once with a clear, typed error.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

test('no prebuild for the platform: ERR_OCR_BINARY_LOAD naming it and how to build from source', (t) => {
  const script = `
    const { createOcr } = require(${JSON.stringify(path.join(root, 'dist', 'index.js'))});
    createOcr().then(() => console.log('loaded'), (e) => console.log(JSON.stringify({ code: e.code, message: e.message })));`;
  const env = { ...process.env, PREBUILDS_ONLY: '1', npm_config_arch: 'riscv64' };
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' }).trim());
  t.is(out.code, 'ERR_OCR_BINARY_LOAD');
  t.regex(out.message, /linux-riscv64/);
  t.regex(out.message, /Building from source/);
});
