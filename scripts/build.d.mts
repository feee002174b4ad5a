/** Types of scripts/build.mjs, for the benchmark (bench/3-tui.ts bundles its Ink baseline with it). */
export declare const BUNDLE_DIR: string;
export declare function rewriteBuiltinImports(code: string, file?: string): string;
export declare function bundle(options?: { outdir?: string; entryPoints?: Record<string, string> }): Promise<unknown>;
