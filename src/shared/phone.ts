/** Mainland China mobile numbers: 11 digits starting 13–19. */
const MOBILE = /^1[3-9]\d{9}$/;

/**
 * The canonical 11-digit form of a mainland mobile number, or undefined when it is not one.
 * Accepts +86 / 0086 / 86 prefixes and spaces (also full-width), dashes and parentheses as people type them.
 */
export function normalisePhone(input: string): string | undefined {
  let s = input.replace(/[\s\u3000\-\u2010-\u2015()（）]/g, '');
  if (s.startsWith('+86')) s = s.slice(3);
  else if (s.startsWith('0086')) s = s.slice(4);
  else if (s.length === 13 && s.startsWith('86')) s = s.slice(2);
  return MOBILE.test(s) ? s : undefined;
}

export function isMobilePhone(normalised: string): boolean {
  return MOBILE.test(normalised);
}
