#!/usr/bin/env node
// prebuildify calls "node-gyp rebuild ..." and has no cmake-js backend: this
// shim ignores node-gyp's arguments and builds with cmake-js into build/Release.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
execFileSync(process.execPath, [cmakeJs, 'rebuild', '--config', 'Release'], {
  stdio: 'inherit',
  cwd: path.resolve(__dirname, '..'),
});
