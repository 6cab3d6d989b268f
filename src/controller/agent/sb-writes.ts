// pinctrl's Southbound writes (put_arp / put_nd → MAC_Binding, put_fdb → FDB, bind_vport and RARP
// activation → Port_Binding, trigger_event → Controller_Event) batched into the rows of
// one transaction, the way ovn-controller writes them once per main-loop turn: the last word for each
// key wins, a row that already says the same is left alone, an existing row is updated in place
// rather than duplicated.  Pure: the caller passes the rows it sees and applies the plan.

import type { SbWrite } from "../pinctrl/types.js";

export interface ExistingMacBinding {
  readonly uuid: string;
  readonly logicalPort: string;
  readonly ip: string;
  readonly mac: string;
}

export interface ExistingFdb {
  readonly uuid: string;
  readonly mac: string;
  readonly dpKey: number;
  readonly portKey: number;
}

export type SbRowOp =
  | {
      readonly op: "insert-mac-binding";
      readonly logicalPort: string;
      readonly ip: string;
      readonly mac: string;
      /** Datapath_Binding UUID. */
      readonly datapath: string;
      readonly timestamp: number;
    }
  | {
      readonly op: "update-mac-binding";
      readonly uuid: string;
      readonly mac: string;
      readonly timestamp: number;
    }
  | {
      readonly op: "insert-fdb";
      readonly mac: string;
      readonly dpKey: number;
      readonly portKey: number;
      readonly timestamp: number;
    }
  | {
      readonly op: "update-fdb";
      readonly uuid: string;
      readonly portKey: number;
      readonly timestamp: number;
    }
  | {
      readonly op: "bind-vport";
      readonly uuid: string;
      readonly virtualParent: string;
      readonly chassis: string;
    }
  | {
      /** options:additional-chassis-activated := `value` (the old list with this chassis appended). */
      readonly op: "activate-port";
      readonly uuid: string;
      readonly value: string;
    }
  | {
      readonly op: "insert-event";
      readonly eventType: "empty_lb_backends";
      readonly info: ReadonlyMap<string, string>;
      readonly chassis: string;
      readonly seqNum: number;
    };

export interface ExistingVirtualPort {
  readonly uuid: string;
  readonly logicalPort: string;
  readonly virtualParent: string | undefined;
  /** Chassis UUID. */
  readonly chassis: string | undefined;
}

export interface SbWriteContext {
  readonly macBindings: readonly ExistingMacBinding[];
  readonly fdbs: readonly ExistingFdb[];
  /** Datapath_Binding UUID by tunnel key. */
  readonly datapathByKey: ReadonlyMap<number, string>;
  /** Port_Binding rows of type "virtual". */
  readonly virtualPorts: readonly ExistingVirtualPort[];
  /** This chassis's Chassis UUID (undefined before registration). */
  readonly chassis: string | undefined;
  /** This chassis's name (what options:additional-chassis-activated lists). */
  readonly chassisName?: string | undefined;
  /** options:additional-chassis-activated of Port_Bindings by logical port (absent key: no option). */
  readonly activations?: ReadonlyMap<
    string,
    { readonly uuid: string; readonly activated: string | undefined }
  >;
  /** Controller_Event rows now in the database. */
  readonly events: readonly { readonly eventType: string; readonly info: ReadonlyMap<string, string> }[];
  /** seq_num of the next event this chassis writes (a counter that starts at 1, as ovn-controller's). */
  readonly nextEventSeq: number;
}

function eventKey(eventType: string, info: ReadonlyMap<string, string>): string {
  return `E ${eventType} ${JSON.stringify([...info].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;
}

function writeKey(w: SbWrite): string {
  switch (w.table) {
    case "MAC_Binding":
      return `M ${w.logicalPort} ${w.ip}`;
    case "Port_Binding":
      return `${"activated" in w ? "A" : "P"} ${w.logicalPort}`;
    case "Controller_Event":
      return eventKey(w.eventType, w.info);
    case "FDB":
      return `F ${w.datapath} ${w.mac.toLowerCase()}`;
  }
}

/** The row operations for a batch of writes; writes naming an unknown datapath are skipped. */
export function planSbWrites(writes: readonly SbWrite[], ctx: SbWriteContext): SbRowOp[] {
  // Last write per key wins (a neighbour that moved twice in one batch).
  const last = new Map<string, SbWrite>();
  for (const w of writes) {
    const key = writeKey(w);
    last.delete(key);
    last.set(key, w);
  }
  const macs = new Map(ctx.macBindings.map((m) => [`${m.logicalPort} ${m.ip}`, m]));
  const fdbs = new Map(ctx.fdbs.map((f) => [`${f.dpKey} ${f.mac.toLowerCase()}`, f]));
  const vports = new Map(ctx.virtualPorts.map((v) => [v.logicalPort, v]));
  const events = new Set(ctx.events.map((e) => eventKey(e.eventType, e.info)));
  let seqNum = ctx.nextEventSeq;
  const ops: SbRowOp[] = [];
  for (const w of last.values()) {
    if (w.table === "Controller_Event") {
      if (events.has(eventKey(w.eventType, w.info)) || ctx.chassis === undefined) continue;
      ops.push({
        op: "insert-event",
        eventType: w.eventType,
        info: w.info,
        chassis: ctx.chassis,
        seqNum: seqNum++,
      });
    } else if (w.table === "Port_Binding" && "activated" in w) {
      const op = activation(w.logicalPort, ctx);
      if (op !== undefined) ops.push(op);
    } else if (w.table === "Port_Binding") {
      const v = vports.get(w.logicalPort);
      if (v === undefined || ctx.chassis === undefined) continue;
      if (v.virtualParent !== w.virtualParent || v.chassis !== ctx.chassis)
        ops.push({ op: "bind-vport", uuid: v.uuid, virtualParent: w.virtualParent, chassis: ctx.chassis });
    } else if (w.table === "MAC_Binding") {
      const old = macs.get(`${w.logicalPort} ${w.ip}`);
      if (old === undefined) {
        const datapath = ctx.datapathByKey.get(w.datapath);
        if (datapath === undefined) continue;
        ops.push({
          op: "insert-mac-binding",
          logicalPort: w.logicalPort,
          ip: w.ip,
          mac: w.mac,
          datapath,
          timestamp: w.timestamp,
        });
      } else if (old.mac !== w.mac) {
        ops.push({ op: "update-mac-binding", uuid: old.uuid, mac: w.mac, timestamp: w.timestamp });
      }
    } else {
      const old = fdbs.get(`${w.datapath} ${w.mac.toLowerCase()}`);
      if (old === undefined)
        ops.push({
          op: "insert-fdb",
          mac: w.mac,
          dpKey: w.datapath,
          portKey: w.port,
          timestamp: w.timestamp,
        });
      else if (old.portKey !== w.port)
        ops.push({ op: "update-fdb", uuid: old.uuid, portKey: w.port, timestamp: w.timestamp });
    }
  }
  return ops;
}

/**
 * This chassis joins the port's options:additional-chassis-activated, as ovn-controller 23.03 writes it:
 * appended after a comma to what is there, unless the list names it already; nothing for a port
 * that is gone.
 */
function activation(logicalPort: string, ctx: SbWriteContext): SbRowOp | undefined {
  const pb = ctx.activations?.get(logicalPort);
  const name = ctx.chassisName;
  if (pb === undefined || name === undefined) return undefined;
  const list = pb.activated;
  if (list?.split(",").includes(name) === true) return undefined;
  return { op: "activate-port", uuid: pb.uuid, value: list === undefined ? name : `${list},${name}` };
}
