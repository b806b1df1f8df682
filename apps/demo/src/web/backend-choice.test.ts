import { describe, expect, it } from 'vitest';
import { type BackendFacts, chooseBackend, softwareAdapterWarning } from './backend-choice';

const webgpu = (software: boolean): BackendFacts => ({
  name: 'webgpu',
  available: true,
  detail: software ? 'google swiftshader' : 'nvidia ampere',
  software,
});
const wasm = (threads: number): BackendFacts => ({
  name: 'wasm',
  available: true,
  detail: threads > 1 ? 'the threaded SIMD binary' : 'the SIMD binary',
  software: false,
  threads,
});
const webgl: BackendFacts = { name: 'webgl', available: true, detail: 'ANGLE', software: false };
const cpu: BackendFacts = { name: 'cpu', available: true, detail: 'JavaScript', software: false };
const missing = (name: BackendFacts['name'], detail: string): BackendFacts => ({
  name,
  available: false,
  detail,
  software: false,
});

describe('chooseBackend', () => {
  it('picks WebGPU on a hardware adapter, the fastest backend', () => {
    const choice = chooseBackend([cpu, webgl, wasm(4), webgpu(false)]);
    expect(choice.picked).toBe('webgpu');
    expect(choice.reason).toBe('Picked WebGPU (nvidia ampere): the fastest backend here.');
  });

  it('moves WebGPU on SwiftShader after wasm, and says why', () => {
    const choice = chooseBackend([webgpu(true), wasm(2), webgl, cpu]);
    expect(choice.picked).toBe('wasm');
    expect(choice.reason).toBe(
      'Picked wasm, 2 threads: WebGPU runs on google swiftshader, a software adapter, slower than wasm.',
    );
  });

  it('passes over unavailable backends and failed probes, naming each', () => {
    const choice = chooseBackend([
      missing('webgpu', 'navigator.gpu is undefined'),
      { ...wasm(1), probe: { passed: false, message: "Kernel 'Gelu' not registered" } },
      webgl,
      cpu,
    ]);
    expect(choice.picked).toBe('webgl');
    expect(choice.reason).toBe(
      "Picked WebGL (ANGLE): WebGPU is not available (navigator.gpu is undefined); wasm, 1 thread failed the probe (Kernel 'Gelu' not registered).",
    );
  });

  it('falls back to a software GPU, then to cpu, when nothing else works', () => {
    expect(chooseBackend([webgpu(true), missing('wasm', 'no WebAssembly')]).picked).toBe('webgpu');
    const none = chooseBackend([missing('webgpu', 'no adapter')]);
    expect(none.picked).toBe('cpu');
    expect(none.reason).toBe('No backend passed its checks; cpu always works (slowly).');
  });
});

describe('softwareAdapterWarning', () => {
  it('warns for a software GPU adapter only', () => {
    const choice = chooseBackend([webgpu(true), wasm(2)]);
    expect(softwareAdapterWarning(choice, 'webgpu')).toMatch(
      /^WebGPU runs on google swiftshader, a software adapter: the GPU is emulated on the CPU/,
    );
    expect(softwareAdapterWarning(choice, 'wasm')).toBeUndefined();
  });
});
