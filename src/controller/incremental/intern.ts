// One object for each distinct value of the small immutable parts of flows (match fields, actions,
// action lists).  At the controller benchmark's M (9.5k flows) the FlowMods held 41k match fields of
// 2.5k distinct values and 17k actions of 1.6k, and the compiled flows they are made from 31k match
// fields: interned, ~3 MiB less to keep.  Only memory changes: an interned value is equal to what it
// replaces, and flows are never changed once made.  Pure.
import type { Action, FlowMod, MatchField } from "../../openflow/model.js";
import type { Flow, FlowAction } from "../lflow/flow.js";

/** Bigints and undefined properties written so that no other value reads the same. */
const replacer = (_k: string, v: unknown): unknown =>
  typeof v === "bigint" ? `\u0000${v}` : v === undefined ? "\u0000u" : v;

/** A match field of either form (the compiler's always has a mask; a FlowMod's only when masked). */
interface FieldLike {
  readonly field: string;
  readonly value: bigint;
  readonly mask?: bigint;
}

/** One object per distinct match field; the key is cheap (no JSON), as there are many more fields. */
export class FieldInterner<F extends FieldLike> {
  private readonly fields = new Map<string, F>();

  get size(): number {
    return this.fields.size;
  }

  clear(): void {
    this.fields.clear();
  }

  field(f: F): F {
    const k = f.mask === undefined ? `${f.field}=${f.value}` : `${f.field}=${f.value}/${f.mask}`;
    let x = this.fields.get(k);
    if (x === undefined) {
      x = f;
      this.fields.set(k, x);
    }
    return x;
  }
}

export class FlowModInterner {
  private readonly fields = new FieldInterner<MatchField>();
  private readonly actions = new Map<string, Action>();
  private readonly lists = new Map<string, readonly Action[]>();

  /** Values held (for bounding: the caller clears when this grows far past its table). */
  get size(): number {
    return this.fields.size + this.actions.size + this.lists.size;
  }

  clear(): void {
    this.fields.clear();
    this.actions.clear();
    this.lists.clear();
  }

  /** `m` with its match fields, actions and action list replaced by the interned equal ones. */
  flowMod(m: FlowMod): FlowMod {
    const match = m.match.map((f) => this.fields.field(f));
    const keys: string[] = [];
    const acts = m.actions.map((a) => {
      const k = JSON.stringify(a, replacer);
      keys.push(k);
      let x = this.actions.get(k);
      if (x === undefined) {
        x = a;
        this.actions.set(k, x);
      }
      return x;
    });
    const listKey = keys.join("\n");
    let actions = this.lists.get(listKey);
    if (actions === undefined) {
      actions = acts;
      this.lists.set(listKey, actions);
    }
    return { ...m, match, actions };
  }
}

/**
 * The compiled flows' parts: match fields, and the commonest actions (set_field, resubmit, output:
 * most of them) by a cheap key; other actions are kept as they are.
 */
export class FlowInterner {
  private readonly fields = new FieldInterner<Flow["match"][number]>();
  private readonly actions = new Map<string, FlowAction>();

  get size(): number {
    return this.fields.size + this.actions.size;
  }

  clear(): void {
    this.fields.clear();
    this.actions.clear();
  }

  /** An equal flow (a new object) made of interned parts. */
  flow(f: Flow): Flow {
    return {
      ...f,
      match: f.match.map((m) => this.fields.field(m)),
      actions: f.actions.map((a) => this.action(a)),
    };
  }

  private action(a: FlowAction): FlowAction {
    const k =
      a.kind === "set_field"
        ? `s${a.field}=${a.value}/${a.mask}`
        : a.kind === "resubmit"
          ? `r${a.table}`
          : a.kind === "output"
            ? `o${a.port}`
            : undefined;
    if (k === undefined) return a;
    let x = this.actions.get(k);
    if (x === undefined) {
      x = a;
      this.actions.set(k, x);
    }
    return x;
  }
}
