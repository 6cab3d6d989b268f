// Differential comparison of flow tables: the real ovn-controller's `dump-flows br-int` against ours,
// table by table, as multisets of normalised flow lines.
//
// What is normalised, because it depends on allocation order rather than on the logical flows:
//   - conjunction ids: each id becomes `C<cookie>` after the cookie of its conj_id= flow (the first 32
//     bits of the logical flow's UUID), in conj_id=, conjunction(...) and nowhere else;
//   - group ids: `group:N` becomes the group's description (type, selection method, buckets);
//   - meter ids (`meter:N`, `meter_id=N`) become M;
//   - conntrack zone numbers loaded into reg11/reg12/reg13 (set_field:0x5->reg13) become Z (zone 0,
//     the clearing of a register, stays);
//   - optionally (sortMatch), the order of match fields inside a line; the differential tests keep
//     it, since src/openflow/text.ts prints fields in ovs-ofctl's order.
// Cookies, priorities, tables, match values and actions (including controller userdata bytes) are
// compared exactly.

export interface FlowLine {
  readonly table: number;
  readonly priority: number;
  readonly cookie: string;
  readonly match: readonly string[];
  readonly actions: string;
}

export function parseFlowLine(line: string): FlowLine | null {
  // Table 0 is not printed (`--no-stats` leaves out "table=0, ").
  const m = /^\s*(?:cookie=(0x[0-9a-f]+), )?(?:table=(\d+), )?priority=(\d+)(?:,(\S*))? actions=(.*)$/.exec(
    line,
  );
  if (m === null) return null;
  return {
    cookie: m[1] ?? "0x0",
    table: Number(m[2] ?? 0),
    priority: Number(m[3]),
    match: (m[4] ?? "").split(",").filter((t) => t !== ""),
    actions: m[5] ?? "",
  };
}

export function parseDump(text: string): FlowLine[] {
  return text.split("\n").flatMap((l) => {
    const f = parseFlowLine(l);
    return f === null ? [] : [f];
  });
}

/** Group id → description, from dump-groups lines (" group_id=1,type=select,..."). */
export function parseGroups(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of text.split("\n")) {
    const m = /^\s*group_id=(\d+),(.*)$/.exec(l);
    if (m !== null) out.set(m[1] as string, m[2] as string);
  }
  return out;
}

/** Normalised lines (see the file comment), keyed by table.  `sortMatch: false` keeps the printed
 *  order of match fields, for comparing text printed by src/openflow/text.ts exactly. */
export function normalise(
  flows: readonly FlowLine[],
  groups: ReadonlyMap<string, string>,
  opts: { sortMatch: boolean } = { sortMatch: true },
): Map<number, string[]> {
  const conjName = new Map<string, string>();
  for (const f of flows) {
    const c = f.match.find((t) => t.startsWith("conj_id="));
    if (c !== undefined) conjName.set(c.slice(8), `C${f.cookie}`);
  }
  const out = new Map<number, string[]>();
  for (const f of flows) {
    const renamed = f.match.map((t) =>
      t.startsWith("conj_id=") ? `conj_id=${conjName.get(t.slice(8)) ?? "?"}` : t,
    );
    const match = opts.sortMatch ? renamed.sort() : renamed;
    let actions = f.actions.replace(
      /conjunction\((\d+),/g,
      (_s, id: string) => `conjunction(${conjName.get(id) ?? "?"},`,
    );
    actions = actions.replace(/group:(\d+)/g, (_s, id: string) => `group:{${groups.get(id) ?? "?"}}`);
    actions = actions.replace(/meter_id=\d+/g, "meter_id=M").replace(/meter:\d+/g, "meter:M");
    actions = actions.replace(/set_field:0x[0-9a-f]+->reg1([123])\b/g, "set_field:Z->reg1$1");
    // Several conjunction() actions on one flow come in allocation order.
    if (actions.startsWith("conjunction("))
      actions = actions
        .split(/,(?=conjunction\()/)
        .sort()
        .join(",");
    const line = `cookie=${f.cookie} priority=${f.priority} ${match.join(",")} actions=${actions}`;
    const l = out.get(f.table) ?? [];
    l.push(line);
    out.set(f.table, l);
  }
  return out;
}

export interface TableDiff {
  readonly table: number;
  readonly theirs: number;
  readonly ours: number;
  readonly same: number;
  readonly missing: readonly string[];
  readonly extra: readonly string[];
}

/** Per table: how many lines agree, and the lines only one side has. */
export function diffTables(
  theirs: Map<number, string[]>,
  ours: Map<number, string[]>,
  tables: (t: number) => boolean,
): TableDiff[] {
  const all = [...new Set([...theirs.keys(), ...ours.keys()])].filter(tables).sort((a, b) => a - b);
  return all.map((t) => {
    const count = new Map<string, number>();
    for (const l of theirs.get(t) ?? []) count.set(l, (count.get(l) ?? 0) + 1);
    const extra: string[] = [];
    let same = 0;
    for (const l of ours.get(t) ?? []) {
      const n = count.get(l) ?? 0;
      if (n > 0) {
        count.set(l, n - 1);
        same++;
      } else extra.push(l);
    }
    const missing = [...count.entries()].flatMap(([l, n]) => Array<string>(n).fill(l));
    return {
      table: t,
      theirs: theirs.get(t)?.length ?? 0,
      ours: ours.get(t)?.length ?? 0,
      same,
      missing,
      extra,
    };
  });
}

/** Everything but the logical pipelines. */
export function isPhysicalTable(t: number): boolean {
  return !isLogicalTable(t);
}

/** Logical pipeline tables (ingress 8..36, egress 42..63). */
export function isLogicalTable(t: number): boolean {
  return (t >= 8 && t <= 36) || (t >= 42 && t <= 63);
}
