import path from 'node:path';

/**
 * `frontdesk/concept-doors`: a domain concept is reached only through its `index.ts`.
 *
 * A file may import anything inside its own concept folder (`src/domain/<concept>/…`), the shared
 * kernel at the domain's root (`src/domain/errors.ts` …), another concept's `index.ts`, and its
 * tenant-configuration section (`<concept>/*.config.ts`); any other file is that concept's insides. Only relative specifiers can point into
 * `src/domain`, so those are the ones resolved; `import type` counts too, because a borrowed type
 * ties the two insides together as much as a borrowed function does.
 */

const SOURCE_EXTENSION = /\.(?:js|ts)$/;

/** `domain/<concept>/<rest>` of a path under src/, or undefined outside any concept. */
function conceptOf(srcRelative) {
  const parts = srcRelative.split(path.sep);
  if (parts[0] !== 'domain' || parts.length < 3) return undefined;
  return { concept: parts[1], rest: parts.slice(2).join('/') };
}

/**
 * A concept's doors: its `index.ts`, and the `*.config.ts` files that hold its section of the tenant
 * configuration, which the tenants concept composes into one schema without importing the rest.
 */
function isDoor(rest) {
  const name = rest.replace(SOURCE_EXTENSION, '');
  return name === 'index' || (!name.includes('/') && name.endsWith('.config'));
}

export const conceptDoors = {
  meta: {
    type: 'problem',
    docs: { description: 'Reach another domain concept only through its index.ts' },
    schema: [{ type: 'object', properties: { srcDir: { type: 'string' } }, additionalProperties: false }],
    messages: {
      insides:
        "'{{specifier}}' is inside the {{concept}} concept; import it from domain/{{concept}}/index.ts, its only door.",
    },
  },
  create(context) {
    const srcDir = path.resolve(context.cwd, context.options[0]?.srcDir ?? 'src');
    const filename = path.resolve(context.cwd, context.filename);
    const own = conceptOf(path.relative(srcDir, filename));

    function check(node, source) {
      const specifier = source && typeof source.value === 'string' ? source.value : undefined;
      if (!specifier || !specifier.startsWith('.')) return;
      const target = conceptOf(path.relative(srcDir, path.resolve(path.dirname(filename), specifier)));
      if (!target || isDoor(target.rest) || target.concept === own?.concept) return;
      context.report({ node, messageId: 'insides', data: { specifier, concept: target.concept } });
    }

    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

export default { rules: { 'concept-doors': conceptDoors } };
