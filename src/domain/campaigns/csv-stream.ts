import { parse, type Options } from 'csv-parse';

/** Records of a CSV as the body streams in: the parser is fed chunk by chunk, honouring its back-pressure. */
export async function* csvRecords<R>(body: AsyncIterable<Buffer | string>, options: Options): AsyncGenerator<R> {
  const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, ...options });
  const feeding = (async () => {
    for await (const chunk of body) if (!parser.write(chunk)) await new Promise((r) => parser.once('drain', r));
    parser.end();
  })().catch((err: unknown) => parser.destroy(err instanceof Error ? err : new Error(String(err))));
  try {
    for await (const record of parser as AsyncIterable<R>) yield record;
  } finally {
    parser.destroy();
    await feeding;
  }
}
