/**
 * The label value that marks a position as "not scored": it adds nothing to a token loss and is
 * not counted in its normaliser. It is the PyTorch ecosystem's convention, used everywhere in
 * lm-objectives; never use a second value.
 */
export const IGNORE_INDEX = -100;
