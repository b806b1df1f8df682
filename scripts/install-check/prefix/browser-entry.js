// A browser entry that uses @lm-objectives/prefix as an application would.
import { createPrefixEncoder, exportPrefix } from '@lm-objectives/prefix';

const prefix = createPrefixEncoder(
  { numLayers: 1, numHeads: 2, headSize: 4 },
  { numVirtualTokens: 2 },
);
document.body.textContent = `${exportPrefix(prefix).metadata.format}: ${prefix.parameterCount()} parameters`;
