// Output of scripts/test-runtimes.mjs: colours when stdout is a terminal, and Capture, which
// streams a runtime's lines to stdout with a `[runtime]` prefix and keeps them (ANSI-free) for
// parsing (./uvu.mjs).
import path from 'node:path';
import { REPO } from '../runtimes.mjs';

export const TTY = !!process.stdout.isTTY && process.env.NO_COLOR == null && process.env.TERM !== 'dumb';
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;
export const strip = (s) => s.replace(ANSI, '');
const paint = (code, s) => (TTY ? `\x1b[${code}m${s}\x1b[0m` : s);
export const bold = (s) => paint('1', s);
export const red = (s) => paint('31', s);
export const green = (s) => paint('32', s);
export const dim = (s) => paint('2', s);
export const rel = (p) => (path.relative(REPO, p).startsWith('..') ? p : path.relative(REPO, p) || '.');

export class Capture {
  /** prefixWidth: the width of the widest `[runtime]` prefix, so runtimes' lines align. */
  constructor(name, prefixWidth) {
    this.name = name;
    this.prefix = `[${name}]`.padEnd(prefixWidth) + ' ';
    this.lines = []; // ANSI-free, in arrival order (stdout and stderr interleaved by line)
    this.partial = { out: '', err: '' };
    this.onLine = null;
  }
  write(chunk, stream = 'out') {
    const text = this.partial[stream] + chunk;
    const parts = text.split('\n');
    this.partial[stream] = parts.pop();
    for (const line of parts) this.emit(line);
  }
  flush() {
    for (const stream of ['out', 'err']) {
      if (this.partial[stream]) this.emit(this.partial[stream]);
      this.partial[stream] = '';
    }
  }
  emit(line) {
    line = line.replace(/\r$/, '');
    const plain = strip(line);
    this.lines.push(plain);
    process.stdout.write(dim(this.prefix) + (TTY ? line + '\x1b[0m' : plain) + '\n');
    this.onLine?.(plain);
  }
  // A message from the driver itself (not the runtime's output): shown, not parsed.
  note(text) {
    for (const line of String(text).split('\n')) process.stdout.write(dim(this.prefix) + line + '\n');
  }
}
