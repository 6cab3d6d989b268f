// The OVN logical-flow match language as a pure library: lexer, symbol table, parser with OVN's type
// checks, annotation (prerequisites, predicates, subfields), normalisation, printing and evaluation.

export { annotateExpr, negateAnnotated, parseAnnotated } from "./annotate.js";
export * from "./ast.js";
export { type CorpusFlow, checkCorpus, flowContext, type LflowCorpus } from "./corpus.js";
export { evaluate, type Packet } from "./eval.js";
export { formatToken, type Token, type TokenType, tokenize, tokenizeSpans } from "./lexer.js";
export { normalizeExpr, simplifyExpr } from "./normalize.js";
export { DEFAULT_CONTEXT, type ExprContext, ExprParser, parseAddresses, parseExpr } from "./parser.js";
export { printExpr, printFieldRef, printOperand } from "./printer.js";
export * from "./symbols.js";
export { expandTemplates } from "./templates.js";
export type { Result } from "./token-stream.js";
export * from "./values.js";
