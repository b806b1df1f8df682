/**
 * The GELU of BERT's masked-LM transform: `'gelu-tanh'`, the original BERT's
 * $\tfrac{1}{2}x\left(1 + \tanh\left(\sqrt{2/\pi}\,(x + 0.044715\,x^3)\right)\right)$, or
 * `'gelu-exact'`, $x\,\Phi(x)$ (Hugging Face's `hidden_act: "gelu"`).
 */
export type BertActivation = 'gelu-tanh' | 'gelu-exact';
