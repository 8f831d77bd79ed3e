/** Numbers as people write them: digits with separators, or words ("eleven", "a couple"). */

/** The tens in words, which compound with a unit word ("twenty-five"). */
export const TENS: Readonly<Record<string, number>> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

const WORD_VALUES: Readonly<Record<string, number>> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  ...TENS,
  hundred: 100,
  couple: 2,
  'a couple': 2,
  'a couple of': 2,
  'couple of': 2,
  few: 3,
  'a few': 3,
  several: 4,
};

/** A regex source matching one number: `2,400`, `1.5`, `30`, or a number word. */
export const NUMBER_PATTERN = String.raw`(?:(?<!\d[,.])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)|a couple of|a couple|couple of|couple|a few|several|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|one|two|three|four|five|six|seven|eight|nine|ten|few|an|a)`;

export function parseNumber(raw: string): number | null {
  const token = raw.trim().toLowerCase();
  if (/^[\d,]+(?:\.\d+)?$/.test(token)) {
    const value = Number(token.replace(/,/g, ''));
    return Number.isFinite(value) ? value : null;
  }
  return WORD_VALUES[token] ?? null;
}
