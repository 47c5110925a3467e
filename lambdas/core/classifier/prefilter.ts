/**
 * Bigram prefilter for the rule table's substring tests.
 *
 * Most needles are absent from most texts, and running `includes` for each of ~800 needles would
 * dominate the cost of a classification. Instead each text stamps the hashes of its character
 * bigrams into one shared table (generation-stamped, so nothing is ever cleared), and each needle
 * carries three of its rarest bigram hashes: `includes` only runs when all three are stamped.
 * A hash collision can only let a needle through to `includes`, never hide one, so the prefilter
 * changes speed, never answers.
 *
 * The shared table makes this module stateful but not unsafe: classification is synchronous, and a
 * text whose stamp is stale (another text was stamped since) is simply stamped again.
 */

const TABLE_BITS = 16;
const TABLE_MASK = (1 << TABLE_BITS) - 1;
const stamps = new Uint32Array(1 << TABLE_BITS);
let generation = 0;

const bigramHash = (a: number, b: number): number => ((a * 0x9e5 + b) ^ (a >>> 7)) & TABLE_MASK;

/** A list of substrings with three anchor bigram hashes each (flat), searched in order. */
export type NeedleSet = { readonly needles: readonly string[]; readonly anchors: Uint16Array };

/** The bigrams of one text, (re)stamped into the shared table on demand. */
export class TextBigrams {
  private stamp = 0;
  constructor(readonly text: string) {}

  /** Makes the shared table hold this text's bigrams and returns their stamp. */
  ensure(): number {
    if (this.stamp === 0 || this.stamp !== generation) this.restamp();
    return this.stamp;
  }

  /**
   * The index of the first needle of `set` that occurs in the text, or -1.
   *
   * @example
   * const set = needleSet(["mailbox full", "over quota"]);
   * new TextBigrams("552 5.2.2 over quota").firstIn(set); // 1
   */
  firstIn(set: NeedleSet): number {
    const { needles, anchors } = set;
    const g = this.ensure();
    const text = this.text;
    for (let i = 0, k = 0; i < needles.length; i++, k += 3) {
      if (
        stamps[anchors[k] as number] === g &&
        stamps[anchors[k + 1] as number] === g &&
        stamps[anchors[k + 2] as number] === g &&
        text.includes(needles[i] as string)
      )
        return i;
    }
    return -1;
  }

  private restamp(): void {
    generation = generation >= 0xfffffffe ? 1 : generation + 1;
    const g = generation;
    const t = this.text;
    // Slot 0 pads the anchors of needles with fewer than three distinct bigrams: always "present".
    stamps[0] = g;
    for (let i = 0; i + 1 < t.length; i++) stamps[bigramHash(t.charCodeAt(i), t.charCodeAt(i + 1))] = g;
    this.stamp = g;
  }
}

function bigramsOf(needle: string): number[] {
  const out = new Set<number>();
  for (let i = 0; i + 1 < needle.length; i++)
    out.add(bigramHash(needle.charCodeAt(i), needle.charCodeAt(i + 1)));
  return [...out];
}

/**
 * Builds needle sets whose anchors are the bigrams rarest among all needles of the whole table
 * (a good proxy for rare in real text). Pass every list first, then build.
 *
 * @example
 * const build = needleSetBuilder([["user unknown"], ["mailbox full"]]);
 * const set = build(["user unknown"]);
 */
export function needleSetBuilder(
  allLists: readonly (readonly string[])[],
): (needles: readonly string[]) => NeedleSet {
  const weight = new Map<number, number>();
  for (const list of allLists) {
    for (const needle of list) for (const h of bigramsOf(needle)) weight.set(h, (weight.get(h) ?? 0) + 1);
  }
  return (needles) => {
    const anchors = new Uint16Array(needles.length * 3);
    needles.forEach((needle, n) => {
      const rarest = bigramsOf(needle).sort((a, b) => (weight.get(a) ?? 0) - (weight.get(b) ?? 0));
      for (let k = 0; k < 3; k++) anchors[n * 3 + k] = rarest[k] ?? 0;
    });
    return { needles, anchors };
  };
}

/**
 * A needle set with anchors from its own bigrams only (for small, standalone lists).
 *
 * @example
 * new TextBigrams("after end of data").firstIn(needleSet(["end of data"])); // 0
 */
export function needleSet(needles: readonly string[]): NeedleSet {
  return needleSetBuilder([needles])(needles);
}
