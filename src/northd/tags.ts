// Container port VLAN tags (ovn-nb(5) Logical_Switch_Port tag_request / tag), as ovn-northd 23.03
// sets them: tag_request N > 0 is copied to `tag`; tag_request 0 on a port with a parent_name asks
// northd for the lowest tag (1..4095) no other child of the same parent holds, kept once given.
import type { SwitchDatapath, SwitchPort } from "./model.js";

const MAX_TAG = 4095;

/** The tag each port of `ls` should carry in NB `tag` and SB Port_Binding.tag (undefined: none). */
export function assignTags(ls: SwitchDatapath): void {
  const taken = new Map<string, Set<number>>();
  const takenOf = (parent: string): Set<number> => {
    let s = taken.get(parent);
    if (s === undefined) {
      s = new Set();
      taken.set(parent, s);
    }
    return s;
  };
  for (const p of ls.ports) {
    const parent = p.nb.parentName;
    if (parent !== undefined && parent !== "" && p.nb.tag !== undefined) takenOf(parent).add(p.nb.tag);
  }
  for (const p of ls.ports) (p as { tag: number | undefined }).tag = wantedTag(p, takenOf);
}

function wantedTag(p: SwitchPort, takenOf: (parent: string) => Set<number>): number | undefined {
  const req = p.nb.tagRequest;
  const parent = p.nb.parentName;
  if (req === undefined) return p.nb.tag;
  if (req > 0) return req;
  if (parent === undefined || parent === "" || p.nb.tag !== undefined) return p.nb.tag;
  const used = takenOf(parent);
  for (let t = 1; t <= MAX_TAG; t++)
    if (!used.has(t)) {
      used.add(t);
      return t;
    }
  return undefined;
}
