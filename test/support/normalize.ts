// Output normalisation so that assertions are exact yet stable across runs and implementations:
// UUIDs become <0>, <1> ... in order of first appearance, timestamps become <time>.

const FULL_UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

export class UuidNames {
  private readonly names = new Map<string, string>();

  /** The stable name of a uuid (assigned on first sight). */
  name(uuid: string): string {
    let n = this.names.get(uuid);
    if (n === undefined) {
      n = `<${this.names.size}>`;
      this.names.set(uuid, n);
    }
    return n;
  }

  /**
   * Replaces full UUIDs in text. With `short`, 8-hex-digit abbreviations (ovsdb-tool show-log prints
   * "(98bfba18)") of uuids already seen are replaced by the same names, and unknown ones by <?>.
   */
  apply(text: string, opts: { short?: boolean; keepWidth?: boolean } = {}): string {
    // keepWidth pads each name to a uuid's 36 columns, so tables printed by the tools stay aligned.
    let out = text.replace(FULL_UUID, (u) =>
      opts.keepWidth === true ? this.name(u).padEnd(36) : this.name(u),
    );
    if (opts.short === true) {
      out = out.replace(/\(([0-9a-f]{8})\)/g, (_m, p: string) => {
        for (const [u, n] of this.names) if (u.startsWith(p)) return `(${n})`;
        return "(<?>)";
      });
    }
    return out;
  }
}

/** Replaces every full UUID by <N>, numbered in order of first appearance in this text. */
export function normalizeUuids(text: string): string {
  return new UuidNames().apply(text);
}

/** Replaces ISO-ish timestamps ("2026-11-24 14:37:29.176", "2026-11-24T14:37:29Z") by <time>. */
export function normalizeTimes(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?Z?/g, "<time>");
}

/** Lines of a text, trailing blanks dropped -- for comparing a tool's output as a list. */
export function lines(text: string): string[] {
  const l = text.split("\n").map((s) => s.trimEnd());
  while (l.length > 0 && l[l.length - 1] === "") l.pop();
  return l;
}

/**
 * Sorts an indented tree (the output of `ovs-vsctl show`, `ovn-nbctl show`) so that siblings appear in
 * name order: the tools print ports and bridges in hash order, which differs from run to run.
 * Each line's children are the following lines indented deeper than it.
 */
export function sortIndentedTree(text: string): string {
  interface Node {
    line: string;
    children: Node[];
  }
  const root: Node = { line: "", children: [] };
  const stack: { indent: number; node: Node }[] = [{ indent: -1, node: root }];
  for (const line of lines(text)) {
    if (line.trim() === "") continue;
    const indent = line.length - line.trimStart().length;
    while (stack.length > 1 && (stack[stack.length - 1]?.indent ?? -1) >= indent) stack.pop();
    const node: Node = { line, children: [] };
    stack[stack.length - 1]?.node.children.push(node);
    stack.push({ indent, node });
  }
  const render = (n: Node): string[] => {
    const kids = [...n.children].sort((a, b) => (a.line < b.line ? -1 : a.line > b.line ? 1 : 0));
    return [n.line, ...kids.flatMap(render)];
  };
  return render(root).slice(1).join("\n");
}
