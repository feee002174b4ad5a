import { describe, expect, it } from 'vitest';
import { rewriteBuiltinImports } from '../../scripts/build.mjs';

const B = (id: string) => `globalThis.process.getBuiltinModule("${id}")`;

describe('the build rewrites static imports of Node built-ins into process.getBuiltinModule()', () => {
  it('turns named, default and namespace imports into bindings of the module object', () => {
    expect(rewriteBuiltinImports('import { readFile, stat as s } from "node:fs/promises";')).toBe(`const { readFile, stat: s } = ${B('node:fs/promises')};`);
    expect(rewriteBuiltinImports('import path from "node:path";')).toBe(`const path = ${B('node:path')};`);
    expect(rewriteBuiltinImports('import * as http from "http";')).toBe(`const http = ${B('node:http')};`);
    expect(rewriteBuiltinImports('import os, { homedir } from "node:os";')).toBe(`const os = ${B('node:os')}, { homedir } = os;`);
    expect(rewriteBuiltinImports('import { default as zlib, gzipSync } from "node:zlib";')).toBe(`const zlib = ${B('node:zlib')}, { gzipSync } = ${B('node:zlib')};`);
    expect(rewriteBuiltinImports('import "node:process";')).toBe(`${B('node:process')};`);
  });

  it('leaves imports of chunks and packages alone, and keeps the line count (source maps stay right)', () => {
    const code = ['import { a } from "./chunk-ABC.js";', 'import {', '  x,', '  y', '} from "node:url";', 'import got from "got";', 'a(x, y, got);'].join('\n');
    const out = rewriteBuiltinImports(code);
    expect(out.split('\n')).toHaveLength(7);
    expect(out).toContain('import { a } from "./chunk-ABC.js";');
    expect(out).toContain('import got from "got";');
    expect(out).toContain(`const { x, y } = ${B('node:url')};`);
  });

  it('refuses a re-export of a built-in, which it cannot rewrite', () => {
    expect(() => rewriteBuiltinImports('export { join } from "node:path";', 'chunk.js')).toThrow(/re-exports the built-in node:path/);
  });
});
