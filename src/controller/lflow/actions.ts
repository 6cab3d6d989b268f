// Logical-flow actions (src/actions syntax trees) to OpenFlow actions, as ovn-controller 23.03 encodes
// them.  One encoder per action kind in a Record, so a new kind of action does not compile until it is
// handled here.  Encodings were taken from ovn-sb(5)'s description of each action and checked against
// the flows the real controller installs for the reference corpus (peer/corpus): which register holds a
// conntrack zone, which lookup table an action resubmits to, which fields are saved around a packet-in.

import type {
  Action,
  ActionKind,
  FieldSpec,
  IpPort,
  LoadValue,
  LogSeverity,
  LogVerdict,
  NestedActionName,
} from "../../actions/ast.js";
import type { DhcpOptionDef } from "../../actions/dhcp-options.js";
import { baseField, OVN_SYMBOLS } from "../../expr/symbols.js";
import { allOnes } from "../../expr/values.js";
import type { FieldName } from "../../openflow/model.js";
import { asField, fieldByNxm, ovsField } from "./fields.js";
import type { FlowAction, Group, NatSpec, Subfield } from "./flow.js";
import { commitEcmpNh, commitLbAff, ECMP_NH_BIT, LB_AFF_BIT } from "./learn-actions.js";
import { FLAG_BIT, LOG_REG, OFTABLE, ofTable } from "./tables.js";
import { dhcpv4Userdata, dhcpv6Userdata, header, ndRaUserdata, OPCODE, resultField } from "./userdata.js";
import { encodeNestedActions } from "./wire.js";

/** What encoding depends on besides the actions. */
export interface ActionEncodeContext {
  readonly pipeline: "ingress" | "egress";
  readonly table: number;
  readonly isSwitch: boolean;
  /** Tunnel key of a port or multicast group of the datapath (0 when unknown). */
  portKey(name: string): number | undefined;
  readonly dhcpv4Options: ReadonlyMap<string, DhcpOptionDef>;
  readonly dhcpv6Options: ReadonlyMap<string, DhcpOptionDef>;
  /** A group id for a group with this description (the caller keeps ids stable). */
  groupId(group: Omit<Group, "id">): number;
  /** A meter id for a named meter (Southbound Meter rows, or a set_meter rate/burst description). */
  meterId(name: string): number;
  /** The flow's controller meter (Logical_Flow controller_meter), applied to its packet-ins. */
  readonly controllerMeter: string | null;
  /** The flow's OpenFlow cookie (its UUID's first 32 bits): sample's `obs_point=$cookie`; 0 when absent. */
  readonly cookie?: number;
  /** The datapath's tunnel key: the low 24 bits of sample's observation domain (ovn-sb(5)); 0 when absent. */
  readonly datapathKey?: number;
  /**
   * The local OVS Flow_Sample_Collector_Set ids the controller knows of: a sample to a collector set
   * outside them encodes to nothing, as in ovn-controller 23.03 (which knows none until a set on br-int
   * changes).  Absent: every sample is encoded (tools that do not model the local OVS).
   */
  readonly collectorSetIds?: ReadonlySet<number>;
}

export class UnsupportedAction extends Error {}

const full = (field: FieldName): Subfield => ({ field, ofs: 0, nBits: ovsField(field).width });
const zone = (reg: FieldName): Subfield => ({ field: reg, ofs: 0, nBits: 16 });

/** The OVS bits a logical field (or part of it) lives in. */
export function subfieldOf(spec: FieldSpec): Subfield {
  const sym = OVN_SYMBOLS.lookup(spec.symbol);
  if (sym === undefined) throw new Error(`unknown symbol ${spec.symbol}`);
  if (sym.kind === "string") return full(fieldByNxm(sym.ovsField).name);
  const base = baseField(OVN_SYMBOLS, sym);
  if (base === null || base.field.kind !== "field") throw new UnsupportedAction(`field ${spec.symbol}`);
  return {
    field: fieldByNxm(base.field.ovsField).name,
    ofs: base.lo + spec.lo,
    nBits: spec.hi - spec.lo + 1,
  };
}

function sameBits(a: Subfield, b: Subfield): boolean {
  return a.field === b.field && a.ofs === b.ofs && a.nBits === b.nBits;
}

/** set_field of `value` into bits of a field; the mask is left out when the whole field is written. */
function setBits(sf: Subfield, value: bigint): FlowAction {
  const width = ovsField(sf.field).width;
  const mask = allOnes(sf.nBits) << BigInt(sf.ofs);
  const v = (value & allOnes(sf.nBits)) << BigInt(sf.ofs);
  // ip.dscp is written through Open vSwitch's 6-bit DSCP field as a masked write (ovs-ofctl shows
  // set_field:10/0x3f->ip_dscp for the real controller's flows).
  const whole = sf.ofs === 0 && sf.nBits === width && sf.field !== "ip_dscp";
  return {
    kind: "set_field",
    field: sf.field,
    value: v,
    mask: whole ? null : mask,
  };
}

const push = (src: Subfield): FlowAction => ({ kind: "push", src });
const pop = (dst: Subfield): FlowAction => ({ kind: "pop", dst });
const resubmit = (table: number): FlowAction => ({ kind: "resubmit", table });
const controller = (userdata: number[], pause = false): FlowAction => ({
  kind: "controller",
  userdata: Uint8Array.from(userdata),
  pause,
  meterId: null,
});

/**
 * Runs `body` with `dst` holding the value of `src`, restoring `dst` afterwards, as OVN does before a
 * lookup: save the register, copy through the stack, run, restore.  Nothing is saved when `src` already
 * is `dst`.
 */
function withFieldAs(
  pairs: readonly [src: Subfield, dst: Subfield][],
  body: readonly FlowAction[],
): FlowAction[] {
  const moves = pairs.filter(([s, d]) => !sameBits(s, d));
  return [
    ...moves.map(([, d]) => push(d)),
    ...[...moves].reverse().map(([s]) => push(s)),
    ...moves.map(([, d]) => pop(d)),
    ...body,
    ...[...moves].reverse().map(([, d]) => pop(d)),
  ];
}

/** set_field:0 on the flag bit, resubmit to the lookup table, copy the flag to the result. */
function flagLookup(table: number, bit: number, dst: Subfield): FlowAction[] {
  const flag: Subfield = { field: LOG_REG.FLAGS, ofs: bit, nBits: 1 };
  return [setBits(flag, 0n), resubmit(table), { kind: "move", src: flag, dst }];
}

const NESTED_OPCODE: Record<Exclude<NestedActionName, "clone">, number> = {
  arp: OPCODE.ARP,
  nd_ns: OPCODE.ND_NS,
  nd_na: OPCODE.ND_NA,
  nd_na_router: OPCODE.ND_NA_ROUTER,
  icmp4: OPCODE.ICMP,
  icmp4_error: OPCODE.ICMP4_ERROR,
  icmp6: OPCODE.ICMP,
  icmp6_error: OPCODE.ICMP6_ERROR,
  tcp_reset: OPCODE.TCP_RESET,
  sctp_abort: OPCODE.SCTP_ABORT,
  reject: OPCODE.REJECT,
};

function natRange(
  ip: { value: bigint; format: string } | null,
  ports: { lo: number; hi: number | null } | null,
  kind: NatSpec["kind"],
): NatSpec {
  const addr = ip === null ? null : { v6: ip.format === "ipv6", value: ip.value };
  return {
    kind,
    ipMin: addr,
    ipMax: null,
    portMin: ports?.lo ?? null,
    portMax: ports?.hi ?? null,
    random: false,
    persistent: false,
    hash: false,
  };
}

function backendNat(b: IpPort): NatSpec {
  return {
    kind: "dst",
    ipMin: { v6: b.ip.format === "ipv6", value: b.ip.value },
    ipMax: null,
    portMin: b.port === 0 ? null : b.port,
    portMax: null,
    random: false,
    persistent: false,
    hash: false,
  };
}

/** Syslog severities and log verdicts as the packet handler reads them. */
const LOG_VERDICT: Record<LogVerdict, number> = { allow: 0, drop: 1, reject: 2 };
const LOG_SEVERITY: Record<LogSeverity, number> = { alert: 1, warning: 4, notice: 5, info: 6, debug: 7 };
/** Controller events and their option codes. */
const EVENT_TYPE: Record<string, number> = { empty_lb_backends: 0 };
const EVENT_OPTION: Record<string, number> = { vip: 1, protocol: 2, load_balancer: 3 };

const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)];
const u16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
const u32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];

type Encoder<K extends ActionKind> = (a: Extract<Action, { kind: K }>, e: ActionEncoder) => FlowAction[];

const ENCODERS: { [K in ActionKind]: Encoder<K> } = {
  keyword: (a, e) => e.keyword(a.name),
  drop: () => [],
  next: (a) => [resubmit(ofTable(a.pipeline, a.table))],
  load: (a, e) => e.load(a),
  move: (a) => [{ kind: "move", src: subfieldOf(a.src), dst: subfieldOf(a.dst) }],
  exchange: (a) => {
    const x = subfieldOf(a.a);
    const y = subfieldOf(a.b);
    return [push(y), push(x), pop(y), pop(x)];
  },
  dec_ttl: () => [{ kind: "dec_ttl" }],
  ct_commit: (a, e) => [
    {
      kind: "ct",
      commit: true,
      force: false,
      table: null,
      zone: e.commonZone(),
      nat: natRange(null, null, "src"),
      exec: e.encodeList(a.nested),
    },
  ],
  ct_commit_v1: (a, e) => {
    const exec: FlowAction[] = [];
    if (a.mark !== null)
      exec.push({ kind: "set_field", field: "ct_mark", value: a.mark.value, mask: a.mark.mask });
    if (a.label !== null)
      exec.push({ kind: "set_field", field: "ct_label", value: a.label.value, mask: a.label.mask });
    return [
      {
        kind: "ct",
        commit: true,
        force: false,
        table: null,
        zone: e.commonZone(),
        nat: natRange(null, null, "src"),
        exec,
      },
    ];
  },
  ct_nat: (a, e) => {
    const snat = a.name === "ct_snat" || a.name === "ct_snat_in_czone";
    const inCzone = a.name.endsWith("_in_czone");
    // The *_in_czone variants use the router's common zone, which is its DNAT zone.
    const z = inCzone ? e.dnatZone() : snat ? zone(LOG_REG.SNAT_ZONE) : e.dnatZone();
    const nat = a.ip === null ? natRange(null, null, "none") : natRange(a.ip, a.ports, snat ? "src" : "dst");
    return [
      { kind: "ct", commit: a.ip !== null, force: false, table: e.nextTable(), zone: z, nat, exec: [] },
    ];
  },
  ct_lb: (a, e) => e.ctLb(a),
  nested: (a, e) => e.nested(a.name, a.nested),
  get_mac: (a) => {
    const v6 = a.name === "get_nd";
    const target = v6 ? full("xxreg0") : full("reg0");
    const lookup: FlowAction[] = [
      { kind: "set_field", field: "eth_dst", value: 0n, mask: null },
      resubmit(OFTABLE.MAC_BINDING),
    ];
    return withFieldAs([[subfieldOf(a.ip), target]], lookup);
  },
  put_mac: (a, e) => {
    const v6 = a.name === "put_nd";
    const target = v6 ? full("xxreg0") : full("reg0");
    const body = [e.controller(header(v6 ? OPCODE.PUT_ND : OPCODE.PUT_ARP))];
    return withFieldAs(
      [
        [subfieldOf(a.ip), target],
        [subfieldOf(a.mac), full("eth_src")],
      ],
      body,
    );
  },
  lookup_mac: (a) => {
    const v6 = a.name === "lookup_nd";
    const target = v6 ? full("xxreg0") : full("reg0");
    const body = flagLookup(OFTABLE.MAC_LOOKUP, 6, subfieldOf(a.dst));
    return withFieldAs(
      [
        [subfieldOf(a.ip), target],
        [subfieldOf(a.mac), full("eth_src")],
      ],
      body,
    );
  },
  lookup_mac_ip: (a) => {
    const v6 = a.name === "lookup_nd_ip";
    const target = v6 ? full("xxreg0") : full("reg0");
    return withFieldAs([[subfieldOf(a.ip), target]], flagLookup(OFTABLE.MAC_LOOKUP, 6, subfieldOf(a.dst)));
  },
  get_fdb: (a) => {
    const dst = subfieldOf(a.dst);
    const body = [setBits(full(LOG_REG.OUTPORT), 0n), resubmit(OFTABLE.GET_FDB)];
    const out = withFieldAs([[subfieldOf(a.mac), full("eth_dst")]], body);
    return sameBits(dst, full(LOG_REG.OUTPORT))
      ? out
      : [...out, { kind: "move", src: full(LOG_REG.OUTPORT), dst }];
  },
  put_fdb: (a, e) =>
    withFieldAs([[subfieldOf(a.mac), full("eth_src")]], [e.controller(header(OPCODE.PUT_FDB))]),
  lookup_fdb: (a) =>
    withFieldAs([[subfieldOf(a.mac), full("eth_src")]], flagLookup(OFTABLE.LOOKUP_FDB, 8, subfieldOf(a.dst))),
  put_opts: (a, e) => {
    const dst = subfieldOf(a.dst);
    if (a.name === "put_dhcp_opts")
      return [e.controller(dhcpv4Userdata(dst, a.options, e.ctx.dhcpv4Options), true)];
    if (a.name === "put_dhcpv6_opts")
      return [e.controller(dhcpv6Userdata(dst, a.options, e.ctx.dhcpv6Options), true)];
    return [e.controller(ndRaUserdata(dst, a.options), true)];
  },
  check: (a, e) => {
    const dst = subfieldOf(a.dst);
    switch (a.name) {
      case "check_in_port_sec":
        return flagLookup(OFTABLE.CHK_IN_PORT_SEC, FLAG_BIT.LOOKUP_RESULT, dst);
      case "check_out_port_sec":
        return flagLookup(OFTABLE.CHK_OUT_PORT_SEC, FLAG_BIT.LOOKUP_RESULT, dst);
      case "chk_lb_hairpin":
        return flagLookup(OFTABLE.CHK_LB_HAIRPIN, FLAG_BIT.LB_HAIRPIN, dst);
      case "chk_lb_hairpin_reply":
        return flagLookup(OFTABLE.CHK_LB_HAIRPIN_REPLY, FLAG_BIT.LB_HAIRPIN, dst);
      case "chk_ecmp_nh_mac":
        return flagLookup(OFTABLE.ECMP_NH_MAC, ECMP_NH_BIT, dst);
      case "chk_ecmp_nh":
        return flagLookup(OFTABLE.ECMP_NH, ECMP_NH_BIT, dst);
      case "chk_lb_aff":
        return flagLookup(OFTABLE.CHK_LB_AFFINITY, LB_AFF_BIT, dst);
      case "dns_lookup":
        return [e.controller([...header(OPCODE.DNS_LOOKUP), ...resultField(dst)], true)];
    }
  },
  check_pkt_larger: (a) => [{ kind: "check_pkt_larger", length: a.length, dst: subfieldOf(a.dst) }],
  log: (a, e) => {
    const data = [
      ...header(OPCODE.LOG),
      LOG_VERDICT[a.verdict],
      LOG_SEVERITY[a.severity],
      ...utf8(a.name ?? ""),
    ];
    const meter = a.meter !== null ? e.ctx.meterId(a.meter) : null;
    return [{ kind: "controller", userdata: Uint8Array.from(data), pause: false, meterId: meter }];
  },
  set_queue: (a) => [{ kind: "set_queue", queue: a.queue }],
  set_meter: (a, e) => [{ kind: "meter", id: e.ctx.meterId(`__string: kbps ${a.rate} ${a.burst}`) }],
  trigger_event: (a, e) => {
    const data = [...header(OPCODE.EVENT), ...u32(EVENT_TYPE[a.event] ?? 0)];
    let meter: string | null = null;
    for (const [k, v] of a.options) {
      if (k === "meter") {
        if (v !== "") meter = v;
        continue;
      }
      const b = utf8(v);
      data.push(...u16(EVENT_OPTION[k] ?? 0), ...u16(b.length), ...b);
    }
    return [
      {
        kind: "controller",
        userdata: Uint8Array.from(data),
        pause: false,
        meterId: meter === null ? null : e.ctx.meterId(meter),
      },
    ];
  },
  bind_vport: (a, e) => [e.controller([...header(OPCODE.BIND_VPORT), ...u32(e.ctx.portKey(a.vport) ?? 0)])],
  handle_svc_check: (_a, e) => [e.controller(header(OPCODE.HANDLE_SVC_CHECK))],
  commit_ecmp_nh: (a) => commitEcmpNh(a.ipv6, a.proto),
  commit_lb_aff: (a) => commitLbAff(a.vip, a.backend, a.proto, a.timeout),
  sample: (a, e) =>
    e.ctx.collectorSetIds !== undefined && !e.ctx.collectorSetIds.has(a.collectorSet)
      ? []
      : [
          {
            kind: "sample",
            probability: a.probability,
            collectorSet: a.collectorSet,
            // obs_domain in the 8 most significant bits, the datapath key in the 24 others (ovn-sb(5)).
            obsDomain: ((a.obsDomain << 24) | ((e.ctx.datapathKey ?? 0) & 0xffffff)) >>> 0,
            obsPoint: a.obsPoint === "cookie" ? (e.ctx.cookie ?? 0) : a.obsPoint,
          },
        ],
  fwd_group: (a, e) => {
    // Liveness needs each child port's OpenFlow port to watch, which the compiler does not know.
    if (a.liveness) throw new UnsupportedAction("fwd_group(liveness=true)");
    const buckets = a.ports.map((p) => ({
      weight: null,
      actions: [
        {
          kind: "set_field",
          field: "reg15",
          value: BigInt(e.ctx.portKey(p) ?? 0),
          mask: 0xffffn,
        } satisfies FlowAction,
        resubmit(OFTABLE.OUTPUT_LARGE_PKT_DETECT),
      ],
    }));
    const id = e.ctx.groupId({
      type: "select",
      selectionMethod: "dp_hash",
      selectionParam: null,
      fields: [],
      buckets,
    });
    return [{ kind: "group", id }];
  },
  select: (a, e) => {
    const dst = subfieldOf(a.dst);
    const buckets = a.members.map((m) => ({
      weight: m.weight,
      actions: [setBits(dst, BigInt(m.id)), resubmit(e.nextTable())],
    }));
    const id = e.ctx.groupId({
      type: "select",
      selectionMethod: "dp_hash",
      selectionParam: 1n << 32n,
      fields: [],
      buckets,
    });
    return [{ kind: "group", id }];
  },
  push: (a) => [push(subfieldOf(a.field))],
  pop: (a) => [pop(subfieldOf(a.field))],
};

/** Encodes the actions of one logical flow in one place of the pipeline. */
export class ActionEncoder {
  constructor(readonly ctx: ActionEncodeContext) {}

  encodeList(actions: readonly Action[]): FlowAction[] {
    return actions.flatMap((a) => (ENCODERS[a.kind] as Encoder<typeof a.kind>)(a as never, this));
  }

  nextTable(): number {
    return ofTable(this.ctx.pipeline, this.ctx.table + 1);
  }

  /** The zone of ct_next, ct_commit and ct_lb: the port's zone in a switch, the DNAT zone in a router. */
  commonZone(): Subfield {
    return zone(this.ctx.isSwitch ? LOG_REG.CT_ZONE : LOG_REG.DNAT_ZONE);
  }

  dnatZone(): Subfield {
    return this.commonZone();
  }

  /** A controller action, metered by the flow's controller meter if it has one. */
  controller(userdata: number[], pause = false): FlowAction {
    const meterId = this.ctx.controllerMeter === null ? null : this.ctx.meterId(this.ctx.controllerMeter);
    return { kind: "controller", userdata: Uint8Array.from(userdata), pause, meterId };
  }

  load(a: Extract<Action, { kind: "load" }>): FlowAction[] {
    // icmp4.frag_mtu and icmp6.frag_mtu are not OpenFlow fields: ovn-controller sets them in the packet
    // it builds, asked by a nested controller action that pauses the pipeline.
    if (a.dst.symbol === "icmp4.frag_mtu" || a.dst.symbol === "icmp6.frag_mtu") {
      const v4 = a.dst.symbol === "icmp4.frag_mtu";
      const mtu = Number(this.loadValue(a.value));
      return [
        controller(
          [
            ...header(v4 ? OPCODE.PUT_ICMP4_FRAG_MTU : OPCODE.PUT_ICMP6_FRAG_MTU),
            ...(v4 ? u16(mtu) : u32(mtu)),
          ],
          true,
        ),
      ];
    }
    return [setBits(subfieldOf(a.dst), this.loadValue(a.value))];
  }

  loadValue(v: LoadValue): bigint {
    if (v.kind === "int") return v.constant.value;
    return BigInt(this.ctx.portKey(v.value) ?? 0);
  }

  keyword(name: Extract<Action, { kind: "keyword" }>["name"]): FlowAction[] {
    switch (name) {
      case "output":
        return [
          resubmit(this.ctx.pipeline === "ingress" ? OFTABLE.OUTPUT_LARGE_PKT_DETECT : OFTABLE.SAVE_INPORT),
        ];
      case "ct_next":
        return [
          {
            kind: "ct",
            commit: false,
            force: false,
            table: this.nextTable(),
            zone: this.commonZone(),
            nat: null,
            exec: [],
          },
        ];
      case "ct_commit_nat":
        return [
          {
            kind: "ct",
            commit: true,
            force: false,
            table: this.nextTable(),
            zone: this.commonZone(),
            nat: natRange(null, null, "none"),
            exec: [],
          },
        ];
      case "ct_clear":
        return [{ kind: "ct_clear" }];
      case "ct_snat_to_vip":
        return [resubmit(OFTABLE.CT_SNAT_HAIRPIN)];
      case "igmp":
        return [this.controller(header(OPCODE.IGMP))];
      case "handle_dhcpv6_reply":
        return [this.controller(header(OPCODE.HANDLE_DHCPV6_REPLY))];
      case "handle_bfd_msg":
        return [this.controller(header(OPCODE.HANDLE_BFD_MSG))];
    }
  }

  ctLb(a: Extract<Action, { kind: "ct_lb" }>): FlowAction[] {
    const z = this.commonZone();
    if (a.backends.length === 0) {
      return [
        {
          kind: "ct",
          commit: false,
          force: false,
          table: this.nextTable(),
          zone: z,
          nat: natRange(null, null, "none"),
          exec: [],
        },
      ];
    }
    // ct_mark.natted (ct_lb_mark) or ct_label.natted (ct_lb), then the skip/force SNAT bit in a set_field
    // of its own (ovn-controller 23.03 writes two, natted first: `ovs-ofctl dump-groups` shows them).
    const markField = a.mark ? "ct_mark" : "ct_label";
    const flagBit = a.flag === "skip_snat" ? 4n : a.flag === "force_snat" ? 8n : undefined;
    const marks: FlowAction[] = [
      { kind: "set_field", field: markField, value: 2n, mask: 2n },
      ...(flagBit === undefined
        ? []
        : [{ kind: "set_field", field: markField, value: flagBit, mask: flagBit } satisfies FlowAction]),
    ];
    const buckets = a.backends.map((b) => ({
      weight: 100,
      actions: [
        {
          kind: "ct",
          commit: true,
          force: false,
          table: this.nextTable(),
          zone: z,
          nat: backendNat(b),
          exec: marks,
        } satisfies FlowAction,
      ],
    }));
    const fields = a.hashFields === null ? [] : a.hashFields.split(",").map((f) => asField(f.trim()));
    const id = this.ctx.groupId({
      type: "select",
      selectionMethod: a.hashFields === null ? "dp_hash" : "hash",
      selectionParam: null,
      fields,
      buckets,
    });
    return [{ kind: "group", id }];
  }

  nested(name: NestedActionName, body: readonly Action[]): FlowAction[] {
    const inner = this.encodeList(body);
    if (name === "clone") return [{ kind: "clone", actions: inner }];
    return [this.controller([...header(NESTED_OPCODE[name]), ...encodeNestedActions(inner)])];
  }
}

/** Encodes a list of logical actions. */
export function encodeActions(actions: readonly Action[], ctx: ActionEncodeContext): FlowAction[] {
  return new ActionEncoder(ctx).encodeList(actions);
}
