// The browser demo runs these modules in a Web Worker: they must not reach Node's APIs.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const folders = ['tasks', 'corpus'].map((name) => new URL(`../${name}/`, import.meta.url));
const NODE_ONLY = new Set(['node.ts', 'load-corpus.ts', 'test-fixtures.ts']);

describe('the task and corpus modules', () => {
  it('import no node:* module, no Node-only file and use no process global', () => {
    const shipped = folders.flatMap((folder) =>
      readdirSync(folder)
        .filter(
          (name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !NODE_ONLY.has(name),
        )
        .map((name) => ({ name, text: readFileSync(new URL(name, folder), 'utf8') })),
    );
    expect(shipped.length).toBeGreaterThan(15);
    for (const { name, text } of shipped) {
      expect(text, name).not.toMatch(
        /from '(node:|fs|path)|from '\.\/(node|load-corpus|test-fixtures)'/,
      );
      expect(text, name).not.toMatch(/\bprocess\.|require\(/);
    }
  });
});
