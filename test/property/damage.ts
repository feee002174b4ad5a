/**
 * Replaces the value at one place of a JSON-like document (or deletes it, for `undefined`), the
 * place chosen by `pick` among all of them, depth-first. Mutates and returns `doc`: pass a copy.
 * Damaging one place at a time keeps most of a valid document valid, so a property reaches the
 * code behind the first check instead of stopping at it every time.
 */
export function damage(doc: unknown, pick: number, value: unknown): unknown {
  const places: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (node: unknown) => {
    if (node === null || typeof node !== 'object') return;
    for (const key of Object.keys(node)) {
      places.push([node as Record<string, unknown>, Array.isArray(node) ? Number(key) : key]);
      walk((node as Record<string, unknown>)[key]);
    }
  };
  walk(doc);
  const place = places[pick % Math.max(1, places.length)];
  if (place) {
    const [parent, key] = place;
    if (value === undefined && !Array.isArray(parent)) delete parent[key as string];
    else (parent as Record<string | number, unknown>)[key] = value;
  }
  return doc;
}

/** Every path of a document's string leaves, for placing a value at a random one. */
export function stringPaths(doc: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof doc === 'string') return [prefix];
  if (doc === null || typeof doc !== 'object') return [];
  return Object.entries(doc).flatMap(([k, v]) => stringPaths(v, [...prefix, Array.isArray(doc) ? Number(k) : k]));
}
