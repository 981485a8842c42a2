// Personal data as it may appear on paper, screens and shared pictures. Pure.

/** A name with only its first (and, from three characters, last) character showing: 李*, 王*明. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}
