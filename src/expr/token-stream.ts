// A cursor over tokens with OVN's way of reporting syntax errors, shared by the match and action
// parsers.  Errors are thrown as ParseError inside a parse and turned into values at the API boundary,
// which keeps the recursive-descent code free of error plumbing.

import { type Token, type TokenType, tokenize } from "./lexer.js";

export class ParseError extends Error {
  override readonly name = "ParseError";
}

export class TokenStream {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(input: string) {
    this.tokens = tokenize(input);
  }

  get token(): Token {
    return this.tokens[this.pos] ?? { type: "end", text: "" };
  }

  /** The token `n` places after the current one. */
  peek(n = 1): Token {
    return this.tokens[Math.min(this.pos + n, this.tokens.length - 1)] ?? { type: "end", text: "" };
  }

  advance(): Token {
    const t = this.token;
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  is(type: TokenType): boolean {
    return this.token.type === type;
  }

  isId(name: string): boolean {
    const t = this.token;
    return t.type === "id" && t.name === name;
  }

  /** Consumes the current token if it has `type`. */
  match(type: TokenType): boolean {
    if (!this.is(type)) return false;
    this.advance();
    return true;
  }

  matchId(name: string): boolean {
    if (!this.isId(name)) return false;
    this.advance();
    return true;
  }

  /** Consumes a token of `type` or fails with "Syntax error at ... expecting `type'." */
  expect(type: TokenType): void {
    if (!this.match(type)) this.fail(`\`${type}'`);
  }

  /** "Syntax error at `tok' expecting X." (or the lexer's own message if the token is an error). */
  fail(expecting?: string): never {
    throw new ParseError(
      this.syntaxErrorText(expecting === undefined ? undefined : `expecting ${expecting}`),
    );
  }

  /** "Syntax error at `tok' <detail>." with free-form detail, as some action parsers report. */
  failWith(detail: string): never {
    throw new ParseError(this.syntaxErrorText(detail));
  }

  syntaxErrorText(detail?: string): string {
    const t = this.token;
    if (t.type === "error") return t.message;
    const at = t.type === "end" ? "at end of input" : `at \`${t.text}'`;
    return detail === undefined ? `Syntax error ${at}.` : `Syntax error ${at} ${detail}.`;
  }
}

export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string };

/** Runs a parse function over `ts`, turning a thrown ParseError into an error result.  As in OVN, an
 *  error found while the current token is a lexical error is reported as that lexical error: the bad
 *  token was read before the parser could complain about what precedes it. */
export function runParse<T>(ts: TokenStream, f: () => T): Result<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    const t = ts.token;
    return { ok: false, error: t.type === "error" ? t.message : e.message };
  }
}

export function fail(message: string): never {
  throw new ParseError(message);
}
