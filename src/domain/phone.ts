/** Drops spaces, dashes and a +86 / 0086 country prefix from a typed mobile number. */
export function normalizeMobile(text: string): string {
  return text.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '');
}

/** A mainland mobile number: 11 digits starting 13–19. */
export function isMainlandMobile(phone: string): boolean {
  return /^1[3-9]\d{9}$/.test(phone);
}

/** 138****5678 */
export function maskMobile(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****';
}
