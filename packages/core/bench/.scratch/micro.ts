import { register } from 'node:module'; register('./hook.mjs', import.meta.url); await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { rowLogSumExpAndLoss, rowLossGradient } from '../../src/ops/internal/softmax-rows';
tf.env().set('PROD', true);
await tf.setBackend('wasm');
const H = 768, V = Number(process.env.V ?? 32000);
function time(name: string, f: () => tf.Tensor | tf.Tensor[], reps = 3) {
  const ts: number[] = [];
  for (let r = 0; r < reps + 1; r++) {
    const t0 = performance.now();
    const out = f();
    const outs = Array.isArray(out) ? out : [out];
    outs[0]!.dataSync();
    ts.push(performance.now() - t0);
    outs.forEach((o) => o.dispose());
  }
  ts.shift();
  ts.sort((a, b) => a - b);
  console.log(name.padEnd(50), ts.map((t) => t.toFixed(0)).join(' '), 'ms');
}
const W = tf.randomNormal([H, V], 0, 0.02) as tf.Tensor2D;
const WT = tf.transpose(W) as tf.Tensor2D;
const b = tf.randomNormal([V]) as tf.Tensor1D;
time('transpose W', () => tf.transpose(W));
for (const C of (process.env.CS ?? '128,256,512,1024').split(',').map(Number)) {
  const h = tf.randomNormal([C, H]) as tf.Tensor2D;
  const hT = tf.transpose(h) as tf.Tensor2D;
  const labels = tf.randomUniform([C], 0, V, 'int32') as tf.Tensor1D;
  const scale = tf.ones([C]) as tf.Tensor1D;
  console.log(`--- C=${C}  GFLOP per product ${(2 * C * H * V / 1e9).toFixed(2)}`);
  time('h·W', () => tf.matMul(h, W));
  time('fused h·W+b', () => tf.fused.matMul({ a: h, b: W, bias: b }));
  time('h·W + b', () => tf.tidy(() => tf.add(tf.matMul(h, W), b)));
  const logits = tf.matMul(h, W) as tf.Tensor2D;
  time('rowLogSumExpAndLoss', () => { const r = rowLogSumExpAndLoss(logits, labels, { labelSmoothing: 0, zLoss: 0 }); return [r.logSumExp, r.rowLoss]; });
  const { logSumExp, rowLoss } = rowLogSumExpAndLoss(logits, labels, { labelSmoothing: 0, zLoss: 0 });
  time('rowLossGradient', () => rowLossGradient(logits, logSumExp, labels, scale, { labelSmoothing: 0, zLoss: 0 }));
  const g = rowLossGradient(logits, logSumExp, labels, scale, { labelSmoothing: 0, zLoss: 0 });
  time('g·Wᵀ (pre-transposed)', () => tf.matMul(g, WT));
  time('hᵀ·g (transpose h)', () => tf.tidy(() => tf.matMul(tf.transpose(h), g)));
  time('gᵀ·h (transpose g) -> [V,H]', () => tf.tidy(() => tf.matMul(tf.transpose(g), h)));
  time('sum(g,0)', () => tf.sum(g, 0));
  time('add [H,V]', () => tf.add(W, W));
  if (C <= 256) time('g·W^T via flag', () => tf.matMul(g, W, false, true), 1);
  tf.dispose([h, hT, labels, scale, logits, logSumExp, rowLoss, g]);
}
