/**
 * `text` cut to at most `max` UTF-16 code units (what `String#length` counts and zod's `.max()`
 * checks). The cut never splits a surrogate pair: a lone half would not survive the round trip
 * through UTF-8, so a pair that straddles the limit is dropped whole.
 *
 * @example
 * cutAt("abcdef", 4);          // "abcd"
 * cutAt(`abc${"😀"}`, 4);      // "abc" (the emoji is two code units)
 */
export function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  // A high surrogate (0xD800–0xDBFF) last: its low half is past the cut, so it goes too.
  return text.slice(0, (text.charCodeAt(max - 1) & 0xfc00) === 0xd800 ? max - 1 : max);
}
