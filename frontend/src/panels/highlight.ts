/** A small Python syntax highlighter for the export dialog: source text to typed tokens. */

export type TokenKind = "keyword" | "string" | "comment" | "number" | "builtin" | "decorator" | "text";

export interface Token {
  text: string;
  kind: TokenKind;
}

const KEYWORDS = new Set(("False None True and as assert async await break class continue def del elif else except " +
  "finally for from global if import in is lambda nonlocal not or pass raise return try while with yield").split(" "));
const BUILTINS = new Set("print len range dict list tuple set int float str bool open isinstance super".split(" "));

const PATTERN = new RegExp([
  String.raw`(#[^\n]*)`, // comment
  String.raw`((?:[rbfuRBFU]{0,2})(?:"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'))`, // string
  String.raw`(@[A-Za-z_][\w.]*)`, // decorator
  String.raw`(\b\d[\d_]*(?:\.\d+)?(?:e[-+]?\d+)?\b)`, // number
  String.raw`([A-Za-z_]\w*)`, // word
].join("|"), "g");

export function highlightPython(source: string): Token[] {
  const out: Token[] = [];
  let last = 0;
  const push = (text: string, kind: TokenKind) => {
    if (!text) return;
    const prev = out[out.length - 1];
    if (prev && prev.kind === kind) prev.text += text;
    else out.push({ text, kind });
  };
  for (const m of source.matchAll(PATTERN)) {
    push(source.slice(last, m.index), "text");
    const [all, comment, string, decorator, number, word] = m;
    if (comment) push(all, "comment");
    else if (string) push(all, "string");
    else if (decorator) push(all, "decorator");
    else if (number) push(all, "number");
    else if (word && KEYWORDS.has(word)) push(all, "keyword");
    else if (word && BUILTINS.has(word)) push(all, "builtin");
    else push(all, "text");
    last = (m.index ?? 0) + all.length;
  }
  push(source.slice(last), "text");
  return out;
}
