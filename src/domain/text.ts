/** Longest text a person may type, in characters (DESIGN.md, "Text limits"). */
export const TEXT_LIMITS = {
  name: 50,
  region: 50,
  visiting: 50,
  /** A pass card's address label, e.g. 3栋2单元501. */
  address: 50,
  purpose: 100,
  note: 500,
  reason: 500,
} as const;

/** Characters as a person counts them: a rare CJK character outside the BMP is one, not two. */
export function charCount(text: string): number {
  return [...text].length;
}
