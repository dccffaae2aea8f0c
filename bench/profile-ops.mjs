// Where a model's Run time goes, from ONNX Runtime's own profile: the time of every kernel summed by operator and
// by node, as a share of the Runs' wall time. ocrkit writes the profile when a session closes if
// OCRKIT_ORT_PROFILE=<prefix> is set (one file per model: <prefix>-<model file name>_<date and time>.json):
//
//   OCRKIT_ORT_PROFILE=/tmp/p node -e "..."            # create an engine, run what is to be measured, dispose()
//   node bench/profile-ops.mjs /tmp/p-ch_PP-OCRv4_rec_infer.onnx_*.json [--top 25] [--skip 1]
//
// --skip n leaves out the first n Runs of each file (warm-up). Operators are ONNX Runtime's after its own fusions
// and ocrkit's rewrites (FusedConv, NchwcConv, ReorderInput, ...). Kernel times of parallel Runs (a recogniser
// with recognitionParallelism > 1) add up to more than the wall time.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  args.splice(i, 2);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} takes a whole number`);
  return value;
};
const top = option('top', 25);
const skip = option('skip', 0);
if (args.length === 0) {
  console.error('usage: node bench/profile-ops.mjs <profile.json>... [--top 25] [--skip 1]');
  process.exit(2);
}

const pct = (part, whole) => (whole > 0 ? ((100 * part) / whole).toFixed(1) : '-');
for (const file of args) {
  const events = JSON.parse(readFileSync(file, 'utf8'));
  // Runs in time order; a kernel belongs to the Run whose span holds its start.
  const runs = events
    .filter((e) => e.cat === 'Session' && e.name === 'model_run')
    .sort((a, b) => a.ts - b.ts)
    .slice(skip);
  const inRun = (e) => runs.some((r) => e.ts >= r.ts && e.ts <= r.ts + r.dur);
  const kernels = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time') && inRun(e));
  const runUs = runs.reduce((s, r) => s + r.dur, 0);
  const kernelUs = kernels.reduce((s, e) => s + e.dur, 0);
  const sum = (key) => {
    const m = new Map();
    for (const e of kernels) {
      const k = key(e);
      const v = m.get(k) ?? { us: 0, calls: 0 };
      v.us += e.dur;
      v.calls += 1;
      m.set(k, v);
    }
    return [...m].sort((a, b) => b[1].us - a[1].us);
  };
  console.log(`\n${path.basename(file)}: ${runs.length} Runs (first ${skip} skipped), ${(runUs / 1e3).toFixed(1)} ms in Run, ` +
    `${(kernelUs / 1e3).toFixed(1)} ms in kernels (${pct(kernelUs, runUs)}%)`);
  console.log('\n| operator | ms | % of Run | kernels |');
  console.log('|---|---:|---:|---:|');
  for (const [op, v] of sum((e) => e.args?.op_name ?? '?')) {
    console.log(`| ${op} | ${(v.us / 1e3).toFixed(1)} | ${pct(v.us, runUs)} | ${v.calls} |`);
  }
  console.log(`\n| node (top ${top}) | operator | ms | % of Run |`);
  console.log('|---|---|---:|---:|');
  for (const [name, v] of sum((e) => `${e.name.replace(/_kernel_time$/, '')}\u0000${e.args?.op_name ?? '?'}`).slice(0, top)) {
    const [node, op] = name.split('\u0000');
    console.log(`| ${node} | ${op} | ${(v.us / 1e3).toFixed(1)} | ${pct(v.us, runUs)} |`);
  }
}
