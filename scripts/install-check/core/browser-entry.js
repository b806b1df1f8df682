// A browser entry that uses @lm-objectives/core as an application would.

import { crossEntropy } from '@lm-objectives/core';
import * as tf from '@tensorflow/tfjs';

const { loss } = crossEntropy(tf.zeros([2, 4]), [1, 2]);
document.body.textContent = `loss ${loss.dataSync()[0]}`;
