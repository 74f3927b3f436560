/**
 * The expression language's parser: a string such as `sum(i, 0, d-2, 100*(x[i+1]-x[i]^2)^2 +
 * (1-x[i])^2)` to a syntax tree whose every node keeps its offset in the string, so that later
 * errors (an unknown name, an index out of range) can point at it too.
 *
 * Grammar (precedence low to high; `^` is right-associative and binds tighter than unary minus,
 * so `-x^2` is −(x²) as in mathematics, and `2^-1` is allowed):
 *   expr    := term (('+' | '-') term)*
 *   term    := unary (('*' | '/') unary)*
 *   unary   := ('-' | '+') unary | power
 *   power   := postfix ('^' unary)?
 *   postfix := primary ('[' expr ']')?
 *   primary := number | name | name '(' expr (',' expr)* ')' | '(' expr ')'
 * Numbers are decimal with an optional fraction and exponent (`1`, `.5`, `2.5e-3`).
 */
import { DescentError } from '../../bindings/errors.ts';

/** A syntax tree node; `pos` is its offset in the source string. */
export type Syntax =
  | { readonly k: 'num'; readonly value: number; readonly pos: number }
  | { readonly k: 'name'; readonly name: string; readonly pos: number }
  | { readonly k: 'index'; readonly name: string; readonly index: Syntax; readonly pos: number }
  | { readonly k: 'neg'; readonly a: Syntax; readonly pos: number }
  | { readonly k: 'bin'; readonly op: '+' | '-' | '*' | '/' | '^'; readonly a: Syntax; readonly b: Syntax; readonly pos: number }
  | { readonly k: 'call'; readonly name: string; readonly args: readonly Syntax[]; readonly pos: number };

/** Longest source accepted, and deepest nesting: a bound on work, and on recursion depth (no stack overflow). */
export const MAX_LENGTH = 100_000;
export const MAX_DEPTH = 200;

interface Token {
  readonly t: 'num' | 'name' | 'op' | 'end';
  readonly text: string;
  readonly pos: number;
}

/** A parse error at offset `pos` of `source` (path names the config field holding the string). */
export function syntaxError(source: string, path: string, pos: number, message: string): DescentError {
  const near = pos >= source.length ? 'at the end' : `at ${pos} ('${source.slice(pos, pos + 12)}')`;
  return new DescentError('E_CONFIG', `${path}: ${message} ${near}`, {
    path,
    expected: message,
    actual: source,
    position: pos,
  });
}

function tokenize(source: string, path: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if ((c >= '0' && c <= '9') || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(source.slice(i))!;
      i += m[0].length;
      if (/[A-Za-z_.]/.test(source[i] ?? '')) throw syntaxError(source, path, i, 'expected an operator after the number');
      tokens.push({ t: 'num', text: m[0], pos: start });
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < source.length && /[A-Za-z0-9_]/.test(source[i]!)) i++;
      tokens.push({ t: 'name', text: source.slice(start, i), pos: start });
    } else if ('+-*/^()[],'.includes(c)) {
      tokens.push({ t: 'op', text: c, pos: start });
      i++;
    } else {
      throw syntaxError(source, path, i, `unexpected character '${c}'`);
    }
  }
  tokens.push({ t: 'end', text: '', pos: source.length });
  return tokens;
}

/** Parse `source` (the config field at `path`) into a syntax tree, or throw E_CONFIG with the offset. */
export function parse(source: string, path: string): Syntax {
  if (source.length > MAX_LENGTH) throw syntaxError(source, path, MAX_LENGTH, `an expression of at most ${MAX_LENGTH} characters`);
  const tokens = tokenize(source, path);
  let at = 0,
    depth = 0;
  const peek = (): Token => tokens[at]!;
  const fail = (message: string): never => {
    throw syntaxError(source, path, peek().pos, message);
  };
  const isOp = (text: string): boolean => peek().t === 'op' && peek().text === text;
  const expectOp = (text: string, what: string): void => {
    if (!isOp(text)) fail(`expected ${what}`);
    at++;
  };
  const nested = <T>(body: () => T): T => {
    if (++depth > MAX_DEPTH) fail(`at most ${MAX_DEPTH} levels of nesting`);
    const r = body();
    depth--;
    return r;
  };

  function expr(): Syntax {
    return nested(() => {
      let a = term();
      while (isOp('+') || isOp('-')) {
        const { text, pos } = tokens[at++]!;
        a = { k: 'bin', op: text as '+' | '-', a, b: term(), pos };
      }
      return a;
    });
  }
  function term(): Syntax {
    let a = unary();
    while (isOp('*') || isOp('/')) {
      const { text, pos } = tokens[at++]!;
      a = { k: 'bin', op: text as '*' | '/', a, b: unary(), pos };
    }
    return a;
  }
  function unary(): Syntax {
    return nested(() => {
      if (isOp('-')) {
        const pos = tokens[at++]!.pos;
        return { k: 'neg', a: unary(), pos };
      }
      if (isOp('+')) {
        at++;
        return unary();
      }
      return power();
    });
  }
  function power(): Syntax {
    const a = postfix();
    if (!isOp('^')) return a;
    const pos = tokens[at++]!.pos;
    return { k: 'bin', op: '^', a, b: unary(), pos };
  }
  function postfix(): Syntax {
    const a = primary();
    if (!isOp('[')) return a;
    if (a.k !== 'name') fail('an index only after a name, as in x[i]');
    at++;
    const index = expr();
    expectOp(']', "']' to close the index");
    return { k: 'index', name: (a as { name: string }).name, index, pos: a.pos };
  }
  function primary(): Syntax {
    const tok = peek();
    if (tok.t === 'num') {
      at++;
      return { k: 'num', value: Number(tok.text), pos: tok.pos };
    }
    if (tok.t === 'name') {
      at++;
      if (!isOp('(')) return { k: 'name', name: tok.text, pos: tok.pos };
      at++;
      const args = [expr()];
      while (isOp(',')) {
        at++;
        args.push(expr());
      }
      expectOp(')', `',' or ')' in the arguments of ${tok.text}`);
      return { k: 'call', name: tok.text, args, pos: tok.pos };
    }
    if (isOp('(')) {
      at++;
      const e = expr();
      expectOp(')', "')'");
      return e;
    }
    return fail(tok.t === 'end' ? 'expected a number, a name or (' : `expected a number, a name or ( but found '${tok.text}'`);
  }

  const tree = expr();
  if (peek().t !== 'end') fail(`expected an operator or the end but found '${peek().text}'`);
  return tree;
}
