import { InvalidArgumentError, ShapeMismatchError } from '@lm-objectives/core';
import type { LoraAdapterSet } from '../adapter/lora-adapter-set';

/** The settings saved with adapter weights, and how the saved format names them (for messages). */
export interface SavedLoraSettings {
  readonly rank: number;
  readonly alpha: number;
  readonly rsLora: boolean;
  /** The saved scaling, when the format stores it. */
  readonly scaling?: number;
  /** The argument names of the rank and of the settings, e.g. `'checkpoint.metadata.rank'`. */
  readonly rankArgument: string;
  readonly settingsArgument: string;
  /** The format's names for α and rsLoRA, e.g. `'lora_alpha'`, `'use_rslora'`. */
  readonly alphaName: string;
  readonly rsLoraName: string;
  /** Whose settings they are, e.g. `"the checkpoint's"`. */
  readonly source: string;
  /** Appended to the fix, e.g. where to get matching options. */
  readonly fixSuffix?: string;
}

/**
 * Refuses to load saved adapter weights into `set` unless it is unmerged and has the saved rank,
 * $\alpha$ and rsLoRA, so that the weights are applied with the scaling they were trained with.
 */
export function checkLoadableAdapters(
  functionName: string,
  set: LoraAdapterSet,
  saved: SavedLoraSettings,
): void {
  if (set.merged || [...set.adapters.values()].some((adapter) => adapter.merged)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'adapters',
      expected: 'unmerged adapters',
      received: 'merged adapters',
      fix: 'call unmerge() before loading other adapter weights.',
    });
  }
  const fix = `create the adapters with ${saved.source} settings: { rank: ${saved.rank}, alpha: ${saved.alpha}, rsLora: ${saved.rsLora} }${saved.fixSuffix ?? ''}.`;
  if (set.options.rank !== saved.rank) {
    throw new ShapeMismatchError({
      functionName,
      argumentName: saved.rankArgument,
      expected: `rank ${set.options.rank} (the adapters' rank)`,
      received: saved.rank,
      fix,
    });
  }
  if (set.options.alpha !== saved.alpha || set.options.rsLora !== saved.rsLora) {
    const scaling = saved.scaling === undefined ? '' : ` (scaling ${saved.scaling})`;
    throw new InvalidArgumentError({
      functionName,
      argumentName: saved.settingsArgument,
      expected: `${saved.alphaName} ${set.options.alpha} and ${saved.rsLoraName} ${set.options.rsLora} (scaling ${set.options.scaling}), as the adapters use`,
      received: saved,
      receivedDescription: `${saved.alphaName} ${saved.alpha} and ${saved.rsLoraName} ${saved.rsLora}${scaling}`,
      fix,
    });
  }
}

/** Refuses saved weights for other targets than the adapters', listing what to adapt or leave out. */
export function checkSameTargets(
  functionName: string,
  set: LoraAdapterSet,
  saved: readonly string[],
): void {
  const present = [...set.adapters.keys()];
  const missing = saved.filter((name) => !set.adapters.has(name));
  const extra = present.filter((name) => !saved.includes(name));
  if (missing.length === 0 && extra.length === 0) return;
  const quoted = (names: readonly string[]) => names.map((name) => `'${name}'`).join(', ');
  const advice = [
    missing.length > 0 ? `adapt ${quoted(missing)} too` : '',
    extra.length > 0 ? `do not adapt ${quoted(extra)}` : '',
  ].filter((text) => text !== '');
  throw new InvalidArgumentError({
    functionName,
    argumentName: 'checkpoint.metadata.targets',
    expected: `adapters for exactly ${quoted(present)}`,
    received: `adapters for ${quoted(saved)}`,
    fix: `${advice.join(' and ')} (targets: ${JSON.stringify(saved)}).`,
  });
}
