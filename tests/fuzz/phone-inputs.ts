// Generators of phone-number input as people (and bad actors) type it: valid numbers of many
// countries in many layouts, and the near misses — too short, too long, letters, digits of other
// scripts, exotic spaces and dashes, empty, whitespace only, arbitrary Unicode.
import fc from 'fast-check';

/** Country calling code and a national number length that country uses. */
const COUNTRIES: ReadonlyArray<readonly [string, number]> = [
  ['7', 10], ['1', 10], ['44', 10], ['49', 11], ['49', 7], ['33', 9], ['39', 10], ['34', 9], ['91', 10],
  ['86', 11], ['81', 10], ['55', 11], ['52', 10], ['971', 9], ['966', 9], ['90', 10], ['380', 9],
  ['998', 9], ['996', 9], ['992', 9], ['234', 10], ['27', 9], ['61', 9], ['64', 8], ['353', 9],
  ['852', 8], ['65', 8], ['682', 5], ['683', 4], ['1', 7], ['20', 10], ['62', 12], ['43', 13],
];

/** Separators the database documents as accepted (ASCII and the Unicode forms it lists). */
export const DOCUMENTED_SEPARATORS = [
  ' ', '-', '.', '(', ')', '[', ']', '\t', '\n', '\r',
  '\u00a0', '\u2007', '\u202f', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212',
];

/** Characters where implementations of "whitespace", "dash" or "digit" tend to disagree. */
export const TRICKY_CHARACTERS = [
  '\u000b', '\u000c', '\u0085', '\u1680', '\u180e', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005',
  '\u2006', '\u2008', '\u2009', '\u200a', '\u200b', '\u200c', '\u200d', '\u2028', '\u2029', '\u205f', '\u2060',
  '\u3000', '\ufeff', '\u00ad', '\ufe63', '\uff0d', '\u2e3a', '\u301c', '\u3002', '\uff0e', '\u00b7', '\u2027',
  '\uff08', '\uff09', '\uff3b', '\uff3d', '{', '}', '<', '>', '/', '\\', '_', ',', ';', ':', '*', '#', '~',
  '\uff0b', '\u207a', '\u208a', '\u2795', '++', 'x', 'ext', 'e', 'E', 'a', 'Z', 'о', 'З', 'tel:', 'O', 'l',
  '\u0660', '\u0661', '\u0669', '\u06f1', '\u06f9', '\u0966', '\u096f', '\u09e7', '\u0e51', '\uff10', '\uff11',
  '\uff19', '\u00b2', '\u00b3', '\u00b9', '\u2070', '\u2074', '\u2080', '\u2460', '\u2469', '\u2776',
  '\u{1d7ce}', '\u{1d7d9}', '\u{1fbf1}', '\u0301', '\u0300', '\u20e3', '\u{1f4de}', '\u{1f600}', '\ud83d\udcf1',
];

const DIGIT = fc.constantFrom(...'0123456789');
const digits = (min: number, max: number) => fc.array(DIGIT, { minLength: min, maxLength: max }).map((a) => a.join(''));

const internationalDigits = fc.constantFrom(...COUNTRIES).chain(([cc, length]) => digits(length, length).map((n) => cc + n));

/** Digits laid out with separators, a prefix and surrounding space, as a person would type them. */
function layOut(digitString: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.record({
    body: digitString,
    prefix: fc.constantFrom('+', '+', '+', '00', '', '+ ', '(+', '00 ', '0', '+0', '8'),
    separators: fc.array(fc.option(fc.constantFrom(...DOCUMENTED_SEPARATORS), { freq: 2 }), { minLength: 24, maxLength: 24 }),
    lead: fc.constantFrom('', '', '', ' ', '\u00a0', '\t', '  '),
    tail: fc.constantFrom('', '', '', ' ', '\n', '\u202f'),
  }).map(({ body, prefix, separators, lead, tail }) => {
    let out = '';
    for (let i = 0; i < body.length; i++) out += body[i] + (i < body.length - 1 ? separators[i % separators.length] ?? '' : '');
    return lead + prefix + out + tail;
  });
}

const validLooking = layOut(internationalDigits);
const anyLength = layOut(digits(0, 22));

/** A valid-looking number with a few characters inserted, dropped or replaced. */
const mutated = fc.record({
  base: validLooking,
  edits: fc.array(fc.record({
    kind: fc.constantFrom('insert', 'replace', 'delete'),
    at: fc.nat(),
    text: fc.constantFrom(...TRICKY_CHARACTERS, ...DOCUMENTED_SEPARATORS),
  }), { minLength: 1, maxLength: 3 }),
}).map(({ base, edits }) => {
  let s = [...base];
  for (const edit of edits) {
    const at = s.length === 0 ? 0 : edit.at % (s.length + (edit.kind === 'insert' ? 1 : 0));
    if (edit.kind === 'insert') s.splice(at, 0, edit.text);
    else if (edit.kind === 'replace') s.splice(at, 1, edit.text);
    else s.splice(at, 1);
  }
  return s.join('');
});

const blank = fc.array(fc.constantFrom('', ...DOCUMENTED_SEPARATORS, '\u3000', '\u2003', '\u0085', '\u200b', '\ufeff'), { maxLength: 6 })
  .map((a) => a.join(''));

const fromTrickyAlphabet = fc.array(fc.constantFrom(...TRICKY_CHARACTERS, ...DOCUMENTED_SEPARATORS, '+', '0', '7', '1', '9', '00'), { maxLength: 18 })
  .map((a) => a.join(''));

/** Everything the phone field may receive. */
export const phoneInput: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: validLooking, weight: 5 },
  { arbitrary: anyLength, weight: 3 },
  { arbitrary: mutated, weight: 4 },
  { arbitrary: blank, weight: 1 },
  { arbitrary: fromTrickyAlphabet, weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 1 },
);

/** Postgres text cannot hold NUL, and lone surrogates reach it re-encoded: such input goes only through the API. */
export function storableInPostgres(s: string): boolean {
  return !s.includes('\u0000') && !/[\ud800-\udfff]/u.test(s);
}

/** Readable form of an input for failure messages: every non-ASCII or control character as \u{...}. */
export function showInput(s: string): string {
  return JSON.stringify(s.replace(/[^\x20-\x7e]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`)).replaceAll('\\\\u', '\\u');
}
