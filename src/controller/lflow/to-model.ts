// From the compiler's flows and groups to src/openflow's model (FlowMod, GroupMod), the one place where
// the two meet.  Field names are already the model's; what changes is the shape of a few actions
// (resubmit's port, ct's nat ranges, conjunction's k/n, controller's defaults, learn's priority).

import {
  type Action,
  type FlowMod,
  type GroupMod,
  type NatSpec as ModelNat,
  controller as modelController,
  ct as modelCt,
  learn as modelLearn,
  OFPP_IN_PORT,
  OFPP_NONE,
} from "../../openflow/model.js";
import { ovsField } from "./fields.js";
import type { Flow, FlowAction, Group, NatSpec } from "./flow.js";

function nat(n: NatSpec): ModelNat {
  return {
    kind: n.kind === "none" ? null : n.kind,
    addr: n.ipMin === null ? null : { v6: n.ipMin.v6, min: n.ipMin.value, max: (n.ipMax ?? n.ipMin).value },
    ports: n.portMin === null ? null : { min: n.portMin, max: n.portMax ?? n.portMin },
    persistent: n.persistent,
    hash: n.hash,
    random: n.random,
  };
}

type Converter<K extends FlowAction["kind"]> = (a: Extract<FlowAction, { kind: K }>) => Action;

const CONVERT: { [K in FlowAction["kind"]]: Converter<K> } = {
  resubmit: (a) => ({ kind: "resubmit", port: OFPP_IN_PORT, table: a.table, ct: false }),
  set_field: (a) =>
    a.mask === null
      ? { kind: "set_field", field: a.field, value: a.value }
      : { kind: "set_field", field: a.field, value: a.value, mask: a.mask },
  move: (a) => ({ kind: "move", src: a.src, dst: a.dst }),
  push: (a) => ({ kind: "push", src: a.src }),
  pop: (a) => ({ kind: "pop", dst: a.dst }),
  ct: (a) =>
    modelCt({
      commit: a.commit,
      force: a.force,
      zone: a.zone,
      table: a.table,
      nat: a.nat === null ? null : nat(a.nat),
      exec: a.exec.map(toModelAction),
    }),
  ct_clear: () => ({ kind: "ct_clear" }),
  conjunction: (a) => ({ kind: "conjunction", id: a.id, k: a.clause, n: a.nClauses }),
  controller: (a) => modelController({ userdata: a.userdata, pause: a.pause, meterId: a.meterId }),
  group: (a) => ({ kind: "group", id: a.id }),
  output: (a) => ({ kind: "output", port: a.port }),
  pop_vlan: () => ({ kind: "pop_vlan" }),
  bundle: (a) => ({
    kind: "bundle",
    fields: "eth_src",
    basis: 0,
    algorithm: "active_backup",
    members: a.members,
    dst: null,
  }),
  push_vlan: (a) => ({ kind: "push_vlan", ethertype: a.ethertype }),
  dec_ttl: () => ({ kind: "dec_ttl", controllerIds: [] }),
  clone: (a) => ({ kind: "clone", actions: a.actions.map(toModelAction) }),
  check_pkt_larger: (a) => ({ kind: "check_pkt_larger", len: a.length, dst: a.dst }),
  set_queue: (a) => ({ kind: "set_queue", queue: a.queue }),
  sample: (a) => ({
    kind: "sample",
    probability: a.probability,
    collectorSetId: a.collectorSet,
    obsDomainId: a.obsDomain,
    obsPointId: a.obsPoint,
    samplingPort: OFPP_NONE,
    direction: "default",
  }),
  meter: (a) => ({ kind: "meter", id: a.id }),
  learn: (a) =>
    modelLearn({
      table: a.table,
      cookie: a.cookie,
      deleteLearned: a.deleteLearned,
      idleTimeout: a.idleTimeout,
      hardTimeout: a.hardTimeout,
      ...(a.priority !== null ? { priority: a.priority } : {}),
      specs: a.specs,
    }),
};

export function toModelAction(a: FlowAction): Action {
  return (CONVERT[a.kind] as Converter<typeof a.kind>)(a as never);
}

/** An "add" FlowMod for a flow; exact matches carry no mask. */
export function toFlowMod(f: Flow): FlowMod {
  return {
    command: "add",
    table: f.table,
    priority: f.priority,
    cookie: f.cookie,
    match: f.match.map((m) =>
      m.mask === allOnesOf(m.field)
        ? { field: m.field, value: m.value }
        : { field: m.field, value: m.value, mask: m.mask },
    ),
    actions: f.actions.map(toModelAction),
  };
}

export function toGroupMod(g: Group): GroupMod {
  return {
    command: "add",
    type: g.type,
    groupId: g.id,
    buckets: g.buckets.map((b, i) => ({
      bucketId: i,
      ...(b.weight !== null ? { weight: b.weight } : {}),
      actions: b.actions.map(toModelAction),
    })),
    ...(g.selectionMethod !== null ? { selectionMethod: g.selectionMethod } : {}),
    ...(g.fields.length > 0 ? { selectionFields: g.fields } : {}),
    ...(g.selectionParam !== null ? { selectionParam: g.selectionParam } : {}),
  };
}

/** All-ones of each field's width, remembered (asked for every field of every flow). */
const allOnesByField = new Map<Flow["match"][number]["field"], bigint>();

function allOnesOf(field: Flow["match"][number]["field"]): bigint {
  let m = allOnesByField.get(field);
  if (m === undefined) {
    m = (1n << BigInt(ovsField(field).width)) - 1n;
    allOnesByField.set(field, m);
  }
  return m;
}
