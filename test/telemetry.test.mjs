// ONNX Runtime's usage telemetry stays off in ocrkit's process unless the environment turns it on (lib/native.ts).
// Each case runs createOcr in a child process with its own HOME, then looks for what the telemetry client writes:
// its event store under $HOME/.cache/Microsoft and an empty /tmp/mat-debug-<pid>.log per process.
// ONNX Runtime 1.30 also keeps its client off when it sees a CI service's variable (CI=true, GITHUB_ACTIONS and the
// others below: checked with CI=true and GITHUB_ACTIONS=true), so the children run without them, and without
// XDG_CACHE_HOME, which would move the store out of HOME: otherwise the second case could not see the client on a
// CI machine and the first would pass there for the wrong reason.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const index = new URL('../dist/index.mjs', import.meta.url).href;
const script = `
const { createOcr } = await import(${JSON.stringify(index)});
const engine = await createOcr();
await engine.dispose();
process.stdout.write(JSON.stringify({ pid: process.pid, value: process.env.ORT_DISABLE_TELEMETRY ?? null }));
`;

const CI_VARIABLES = ['CI', 'TF_BUILD', 'GITHUB_ACTIONS', 'GITLAB_CI', 'CIRCLECI', 'TRAVIS', 'JENKINS_URL',
  'CODEBUILD_BUILD_ID', 'BUILDKITE', 'TEAMCITY_VERSION', 'APPVEYOR', 'BITBUCKET_BUILD_NUMBER'];

function runChild(t, telemetryEnv) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ocrkit-home-'));
  t.teardown(() => fs.rmSync(home, { recursive: true, force: true }));
  const env = { ...process.env, HOME: home };
  for (const name of [...CI_VARIABLES, 'XDG_CACHE_HOME', 'ORT_DISABLE_TELEMETRY']) delete env[name];
  if (telemetryEnv !== undefined) env.ORT_DISABLE_TELEMETRY = telemetryEnv;
  const started = Date.now();
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' }));
  const debugLog = path.join(os.tmpdir(), `mat-debug-${out.pid}.log`);
  // Only a log the child wrote: another process of the same pid (pids are reused) may have left one before.
  const stat = fs.statSync(debugLog, { throwIfNoEntry: false });
  const wrote = { store: fs.existsSync(path.join(home, '.cache', 'Microsoft')), debugLog: stat !== undefined && stat.mtimeMs >= started - 1000 };
  if (wrote.debugLog) fs.rmSync(debugLog, { force: true });
  return { ...out, wrote };
}

test('createOcr turns the runtime telemetry off: no event store in HOME, no /tmp/mat-debug-<pid>.log', (t) => {
  const { value, wrote } = runChild(t, undefined);
  t.is(value, '1');
  t.deepEqual(wrote, { store: false, debugLog: false });
});

test("a value the caller set is left as it is (and the checks above see the client when it runs)", (t) => {
  // ONNX Runtime reads '1', 'true', 'yes' or 'on' as off: with '0' its client starts, which shows the first test's
  // checks can fail.
  const { value, wrote } = runChild(t, '0');
  t.is(value, '0');
  t.deepEqual(wrote, { store: true, debugLog: true });
});
