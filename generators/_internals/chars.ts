// Character sets shared by the name and body builders.
import fc from 'fast-check';

export const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const DIGITS = '0123456789';
export const ALNUM = LETTERS + DIGITS;

export const letter: fc.Arbitrary<string> = fc.constantFrom(...LETTERS);
export const digit: fc.Arbitrary<string> = fc.constantFrom(...DIGITS);
export const alnum: fc.Arbitrary<string> = fc.constantFrom(...ALNUM);

/** Strings of letters and digits with exactly `length` characters. */
export function alnumOfLength(length: number): fc.Arbitrary<string> {
  return fc.string({ unit: alnum, minLength: length, maxLength: length });
}
