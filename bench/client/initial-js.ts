import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface InitialLoad {
  /** The JavaScript files a first visit loads before any dynamic import, in load order. */
  files: { file: string; bytes: number; gzip: number }[];
  totalBytes: number;
  totalGzip: number;
  css: { file: string; bytes: number; gzip: number }[];
}

const gzip = (data: Buffer) => gzipSync(data, { level: 9 }).length;

/** Static imports of a built module (`import … from "./x.js"`, `import "./x.js"`, `export … from`); not `import("./x.js")`. */
export function staticImports(code: string): string[] {
  const found = new Set<string>();
  const pattern = /(?:\bimport|\bexport)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.{1,2}\/[^"']+)["']/g;
  for (const match of code.matchAll(pattern)) if (match[1]) found.add(match[1]);
  return [...found];
}

/**
 * What index.html makes the browser fetch before the app runs: its module scripts and
 * modulepreload links, and every module those import statically, transitively. Lazy chunks
 * (the signed-in app, matrix-js-sdk, its WebAssembly crypto) are not part of it.
 */
export async function initialLoad(distDir: string): Promise<InitialLoad> {
  const html = await readFile(path.join(distDir, 'index.html'), 'utf8');
  const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]+)"`).exec(tag)?.[1];
  const entries: string[] = [];
  const css: InitialLoad['css'] = [];
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/g)) {
    if (tag.startsWith('<script') && attr(tag, 'type') === 'module' && attr(tag, 'src')) entries.push(attr(tag, 'src') ?? '');
    if (tag.startsWith('<link') && attr(tag, 'rel') === 'modulepreload' && attr(tag, 'href')) entries.push(attr(tag, 'href') ?? '');
    if (tag.startsWith('<link') && attr(tag, 'rel') === 'stylesheet' && attr(tag, 'href')) {
      const data = await readFile(path.join(distDir, attr(tag, 'href') ?? ''));
      css.push({ file: attr(tag, 'href') ?? '', bytes: data.length, gzip: gzip(data) });
    }
  }
  const seen = new Set<string>();
  const files: InitialLoad['files'] = [];
  const visit = async (url: string) => {
    const file = path.posix.normalize(url.startsWith('/') ? url : `/${url}`);
    if (seen.has(file)) return;
    seen.add(file);
    const data = await readFile(path.join(distDir, file));
    files.push({ file, bytes: data.length, gzip: gzip(data) });
    for (const imported of staticImports(data.toString('utf8'))) await visit(path.posix.join(path.posix.dirname(file), imported));
  };
  for (const entry of entries) await visit(entry);
  return {
    files,
    totalBytes: files.reduce((n, f) => n + f.bytes, 0),
    totalGzip: files.reduce((n, f) => n + f.gzip, 0),
    css,
  };
}
