/**
 * What every `descent` subcommand shares: exit codes, the CLI's own error (a bad command line,
 * an unreadable file), reading JSON and YAML files, writing files atomically, and printing a
 * summary (key: value lines, or one JSON object with --json).
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { parse as parseYAML } from 'yaml';

/** Exit codes: 0 done; 1 the work failed; 2 bad command line, config or input; 130 interrupted. */
export const USAGE = 2,
  FAILED = 1,
  INTERRUPTED = 130;

/** An error of the command line or its files, with the exit code it ends the process with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** A usage error (exit 2). */
export const usage = (message: string) => new CliError(message, USAGE);

/** A whole number from the command line (cac turns numeric text into numbers already). */
export function wholeNumber(v: unknown, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw usage(`${flag} must be a whole number, got ${JSON.stringify(v)}`);
  return n;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw usage(
      `cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`,
    );
  }
}

/** Parse a JSON file (exit 2 naming the file when it cannot be read or parsed). */
export function readJSON(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw usage(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** A config file: YAML when it ends in .yaml or .yml, JSON otherwise. */
export function readConfig(file: string): unknown {
  if (!/\.ya?ml$/i.test(file)) return readJSON(file);
  const text = readText(file);
  try {
    // One document; duplicate keys and other YAML errors are errors (prettyErrors: line and column).
    return parseYAML(text, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    throw usage(`${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** A file system error as one line naming the file and what went wrong (exit 1). */
function cannot(what: string, e: unknown): CliError {
  const err = e as NodeJS.ErrnoException;
  const why =
    err?.code === 'ENOENT'
      ? 'no such directory'
      : err?.code === 'EACCES' || err?.code === 'EPERM'
        ? 'permission denied'
        : err?.code === 'ENOTDIR' || err?.code === 'EEXIST'
          ? 'a file is in the way (the path or a folder on it is a file)'
          : err?.code === 'EISDIR'
            ? 'it is a directory'
            : err?.code === 'ENOSPC'
              ? 'no space left on the device'
              : oneLine(e);
  return new CliError(`cannot ${what}: ${why}`, FAILED);
}

/** Make a folder and its parents (as every --out does). */
export function makeDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw cannot(`make the folder ${dir}`, e);
  }
}

/** Write atomically (temporary name, then rename), so a reader never sees half a file. */
export function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      /* nothing was written */
    }
    throw cannot(`write ${file}`, e);
  }
}

/** An error's message on one line (a thrown non-Error as text), for one-line reports. */
export function oneLine(e: unknown): string {
  let text: string;
  try {
    text = e instanceof Error ? e.message : String(e);
  } catch {
    text = Object.prototype.toString.call(e);
  }
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join(' ') ||
    (e as Error)?.name ||
    'unknown error'
  );
}

/** Print a summary on stdout: `key: value` lines, or one JSON object with --json. */
export function print(json: boolean, obj: Record<string, unknown>): void {
  if (json) {
    process.stdout.write(JSON.stringify(obj) + '\n');
    return;
  }
  for (const [k, v] of Object.entries(obj)) process.stdout.write(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}\n`);
}

/** Rows of a table, padded to their columns' widths (numbers right-aligned), as text lines. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const width = header.map((_, j) => Math.max(...cells.map((r) => r[j]?.length ?? 0)));
  const right = header.map((_, j) => rows.length > 0 && rows.every((r) => typeof r[j] === 'number' || /^[\d.,×x -]+$/.test(String(r[j]))));
  const line = (r: string[]) =>
    r
      .map((c, j) => (right[j] ? c.padStart(width[j]) : c.padEnd(width[j])))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), width.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n') + '\n';
}
