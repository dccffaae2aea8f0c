// Engines in worker threads: a worker terminated while its createOcr or its calls are in flight must not take the
// process with it. Such a call completes after the worker's environment has stopped running JavaScript, so its
// promise cannot be settled; node-addon-api threw that failure out of the completion callback, and the process
// aborted ("terminate called after throwing an instance of 'Napi::Error'") until the addon was built with
// NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS (CMakeLists.txt). The scenario runs in a child process, so that an abort is
// an exit status here rather than the end of the test run.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { imagesDir } from './helpers/fixtures.mjs';

const index = new URL('../dist/index.js', import.meta.url).pathname;
const big = path.join(imagesDir, 'doc-e-2000x1500-rot15.jpg');
const small = path.join(imagesDir, 'doc-a-640x480.png');

const workerCode = `
const { createOcr } = require(${JSON.stringify(index)});
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  parentPort.postMessage('creating');
  const engine = await createOcr({ concurrency: 2 });
  parentPort.postMessage('ready');
  for (;;) await Promise.all([engine.recognize(workerData.big), engine.recognizeBatch([workerData.small, workerData.big])]);
})();`;

const mainCode = `
const { Worker } = require('node:worker_threads');
const { createOcr } = require(${JSON.stringify(index)});
(async () => {
  // [the message to wait for, then ms before terminate()]: createOcr in flight, then calls in flight.
  const plan = [['creating', 0], ['ready', 30], ['ready', 300], ['ready', 800]];
  for (const [message, delay] of plan) {
    const worker = new Worker(${JSON.stringify(workerCode)}, { eval: true, workerData: ${JSON.stringify({ big, small })} });
    await new Promise((resolve) => worker.on('message', (m) => m === message && resolve()));
    await new Promise((resolve) => setTimeout(resolve, delay));
    await worker.terminate();
    process.stdout.write('terminated after ' + message + ' + ' + delay + ' ms\\n');
  }
  const engine = await createOcr();
  const result = await engine.recognize(${JSON.stringify(small)});
  await engine.dispose();
  process.stdout.write('main thread reads ' + result.lines.length + ' lines\\n');
})();`;

test('terminating workers with createOcr or calls in flight leaves the process running and the addon usable', (t) => {
  // ONNX Runtime is first loaded in a worker here, whose process.env is its own copy: the telemetry opt-out goes in the
  // child's environment, as README "Telemetry" says (otherwise every run leaves a /tmp/mat-debug-<pid>.log).
  const env = { ...process.env, ORT_DISABLE_TELEMETRY: '1' };
  const out = execFileSync(process.execPath, ['-e', mainCode], { encoding: 'utf8', timeout: 110_000, env });
  t.log(out.trim());
  t.is((out.match(/^terminated after/gm) ?? []).length, 4);
  const lines = Number(/main thread reads (\d+) lines/.exec(out)?.[1]);
  t.true(lines > 5, out);
});
