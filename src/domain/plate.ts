const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
// Plate letters and digits leave out I and O, which read as 1 and 0.
const SERIAL = '[A-HJ-NP-Z0-9]';
const STANDARD = new RegExp(`^[${PROVINCES}][A-HJ-NP-Z]${SERIAL}{4}[A-HJ-NP-Z0-9挂学警港澳]$`);
// New-energy plates have 8 characters: D/F (and A-K for small cars) first, or D/F last for large ones.
const NEW_ENERGY = new RegExp(`^[${PROVINCES}][A-HJ-NP-Z]([A-HJ-K]${SERIAL}\\d{4}|\\d{5}[DF])$`);

/** Upper-cases and removes the spaces, dots and dashes people put between plate parts. */
export function normalizePlate(text: string): string {
  return text.replace(/[\s·.-]/g, '').toUpperCase();
}

/** A mainland vehicle plate, 7 characters, or 8 for new-energy vehicles. */
export function isPlate(plate: string): boolean {
  return STANDARD.test(plate) || NEW_ENERGY.test(plate);
}

/** A plate from outside the area: its province-and-city prefix (e.g. 湘J) differs from the local one. */
export function isOutOfAreaPlate(plate: string, localPrefix: string): boolean {
  return plate.slice(0, 2) !== localPrefix;
}
