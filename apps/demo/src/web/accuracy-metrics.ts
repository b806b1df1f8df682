// Which of an objective's metrics the accuracy chart draws, and how it names them.

/**
 * The metrics whose name ends in `accuracy` (case-insensitive), e.g. BERT's `maskedLmAccuracy`
 * and `nextSentenceAccuracy`, GLM's `accuracy`. Ratios such as `maskRatio` are left out: they
 * describe the batch, not the model. Non-finite values are dropped rather than charted.
 */
export function accuracyMetrics(metrics: Readonly<Record<string, number>>): Record<string, number> {
  const accuracies: Record<string, number> = {};
  for (const [name, value] of Object.entries(metrics)) {
    if (/accuracy$/i.test(name) && Number.isFinite(value)) accuracies[name] = value;
  }
  return accuracies;
}

const KNOWN_LABELS: Readonly<Record<string, string>> = {
  accuracy: 'accuracy',
  maskedLmAccuracy: 'masked-LM accuracy',
  nextSentenceAccuracy: 'next-sentence accuracy',
};

/** A readable legend label: `'maskedLmAccuracy'` → `'masked-LM accuracy'`, other camel case spelt out. */
export function accuracyLabel(name: string): string {
  const known = KNOWN_LABELS[name];
  if (known) return known;
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
}
