// One object for each distinct value of the small immutable parts of the compiled flows (match
// fields, the commonest actions, match and action lists).  At the controller benchmark's M (9.5k
// flows) the flows held 31k match fields of 2.5k distinct values, and ~7k action lists of ~2.6k.
// Only memory changes: an interned value is equal to what it replaces, and flows are never changed
// once made.  Pure.
import type { Flow, FlowAction } from "../lflow/flow.js";

/** A match field (the compiler's always has a mask; a FlowMod's only when masked). */
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
    return this.keyed(f, fieldKey(f));
  }

  /** The interned field equal to `f`, whose key (fieldKey) the caller has made. */
  keyed(f: F, k: string): F {
    let x = this.fields.get(k);
    if (x === undefined) {
      x = f;
      this.fields.set(k, x);
    }
    return x;
  }
}

const fieldKey = (f: FieldLike): string =>
  f.mask === undefined ? `${f.field}=${f.value}` : `${f.field}=${f.value}/${f.mask}`;

/**
 * One array per distinct list of interned parts, by the parts' keys joined: most flows' action lists
 * are one of a few thousand, and ~2k match lists repeat (each array ~60-80 bytes).
 */
class ListInterner<T> {
  private readonly lists = new Map<string, readonly T[]>();

  get size(): number {
    return this.lists.size;
  }

  clear(): void {
    this.lists.clear();
  }

  list(xs: readonly T[], keys: readonly string[]): readonly T[] {
    const k = keys.join("\n");
    const x = this.lists.get(k);
    if (x !== undefined) return x;
    this.lists.set(k, xs);
    return xs;
  }
}

/** `fields` interned one by one, and the list of them. */
function internMatch<F extends FieldLike>(
  fields: FieldInterner<F>,
  lists: ListInterner<F>,
  match: readonly F[],
): readonly F[] {
  const keys: string[] = [];
  const out = match.map((f) => {
    const k = fieldKey(f);
    keys.push(k);
    return fields.keyed(f, k);
  });
  return lists.list(out, keys);
}

/**
 * The compiled flows' parts: match fields, and the commonest actions (set_field, resubmit, output:
 * most of them) by a cheap key; other actions are kept as they are.
 */
export class FlowInterner {
  private readonly fields = new FieldInterner<Flow["match"][number]>();
  private readonly matches = new ListInterner<Flow["match"][number]>();
  private readonly actions = new Map<string, FlowAction>();
  private readonly lists = new ListInterner<FlowAction>();
  /** Cookies: a logical flow's (its uuid's first 32 bits) is on every flow made of it, each a 24-byte
   * BigInt of its own (~9k of ~2k values at the controller benchmark's M). */
  private readonly cookies = new Map<bigint, bigint>();

  get size(): number {
    return this.fields.size + this.matches.size + this.actions.size + this.lists.size + this.cookies.size;
  }

  clear(): void {
    this.fields.clear();
    this.matches.clear();
    this.actions.clear();
    this.lists.clear();
    this.cookies.clear();
  }

  /**
   * An equal flow (a new object) made of interned parts; its action list is shared with equal ones
   * when every action in it has a key (the others are kept as they are, so lists holding them are not).
   */
  flow(f: Flow): Flow {
    const keys: string[] = [];
    const actions = f.actions.map((a) => {
      const k = actionKey(a);
      if (k === undefined) return a;
      keys.push(k);
      return this.keyedAction(a, k);
    });
    let cookie = this.cookies.get(f.cookie);
    if (cookie === undefined) {
      cookie = f.cookie;
      this.cookies.set(cookie, cookie);
    }
    return {
      ...f,
      cookie,
      match: internMatch(this.fields, this.matches, f.match),
      actions: keys.length === actions.length ? this.lists.list(actions, keys) : actions,
    };
  }

  private keyedAction(a: FlowAction, k: string): FlowAction {
    let x = this.actions.get(k);
    if (x === undefined) {
      x = a;
      this.actions.set(k, x);
    }
    return x;
  }
}

/** The commonest actions' cheap keys (set_field, resubmit, output); undefined for the others. */
function actionKey(a: FlowAction): string | undefined {
  return a.kind === "set_field"
    ? `s${a.field}=${a.value}/${a.mask}`
    : a.kind === "resubmit"
      ? `r${a.table}`
      : a.kind === "output"
        ? `o${a.port}`
        : undefined;
}
