/** A character-level tokenizer built from a text: one id per distinct character, in sorted order. */
export interface CharacterVocabulary {
  readonly size: number;
  encode(text: string): Int32Array;
  decode(ids: ArrayLike<number>): string;
}

/** Builds a {@link CharacterVocabulary} covering every character of `text`. */
export function createCharacterVocabulary(text: string): CharacterVocabulary {
  const characters = [...new Set(text)].sort();
  const idOf = new Map(characters.map((character, id) => [character, id]));
  return {
    size: characters.length,
    encode(input) {
      return Int32Array.from(input, (character) => {
        const id = idOf.get(character);
        if (id === undefined)
          throw new Error(`character ${JSON.stringify(character)} is not in the vocabulary`);
        return id;
      });
    },
    decode: (ids) => Array.from(ids, (id) => characters[id] ?? '?').join(''),
  };
}
