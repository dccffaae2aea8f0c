// onnxruntime-node's JavaScript API for the scripts that check generated test models, from the bench's packages
// (ocrkit itself does not install onnxruntime-node): `cd bench && ONNXRUNTIME_NODE_INSTALL=skip npm install` first.
import { createRequire } from 'node:module';

let ort;
try {
  ort = createRequire(new URL('../bench/package.json', import.meta.url))('onnxruntime-node');
} catch (error) {
  console.error('onnxruntime-node not found in bench/node_modules: run `cd bench && ONNXRUNTIME_NODE_INSTALL=skip npm install` first');
  throw error;
}
export default ort;
