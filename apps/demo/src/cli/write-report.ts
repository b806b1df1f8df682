import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { renderHtmlReport } from './html-report';
import type { DemoRunResult } from './phase-result';

/** Writes the HTML report (creating its folder) and returns its absolute path. */
export function writeReport(result: DemoRunResult, path: string, generatedAt = new Date()): string {
  const absolute = resolve(path);
  mkdirSync(dirname(absolute), { recursive: true });
  writeFileSync(absolute, renderHtmlReport(result, generatedAt));
  return absolute;
}
