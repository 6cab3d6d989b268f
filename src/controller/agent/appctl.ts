// The runtime commands ovn-controller(8) documents for `ovn-appctl -t ovn-controller`, in its output
// formats (observed on 23.03 and in OVN's own tests): `ct-zone-list` prints "NAME ZONE" lines,
// `meter-table-list` and `group-table-list` print "NAME: ID" lines sorted by name (a group's name is its
// description), `lflow-cache/show-stats` the cache counters. Pure: the agent hands in what it knows.

import type { UnixctlHandler } from "../../unixctl/commands.js";
import { UnixctlError } from "../../unixctl/commands.js";

/** What the commands read from, and ask of, the running agent. */
export interface ControllerIntrospection {
  /** Conntrack zones: logical port names, and `<datapath uuid>_dnat` / `_snat`. */
  ctZones(): Iterable<readonly [string, number]>;
  /** Meters in use: name (Southbound Meter name, or a set_meter description) and OpenFlow meter id. */
  meters(): Iterable<readonly [string, number]>;
  /** Groups in use: description and OpenFlow group id. */
  groups(): Iterable<readonly [string, number]>;
  lflowCache(): { readonly entries: number; readonly reused: number; readonly compiled: number };
  /** Forgets the compiled logical flows and runs a full pass. */
  flushLflowCache(): void;
  /** Runs a full pass. */
  recompute(): void;
  /** Holds nb_cfg acknowledgements back by this many seconds (0: none). */
  delayNbCfgReport(seconds: number): void;
  /** Forgets the Southbound cluster index (ours never refuses a server for a stale index). */
  resetSbClusterState(): void;
  sbConnected(): boolean;
  /** debug/pause and debug/resume: stop and restart processing (no installs, no database writes). */
  pause?(): void;
  resume?(): void;
  /** Whether processing is paused (debug/status). */
  paused?(): boolean;
  /** debug/dump-local-bindings' text (agent/bindings.ts localBindingsText). */
  localBindings?(): string;
}

export interface AppctlCommand {
  readonly name: string;
  readonly usage: string;
  readonly min: number;
  readonly max: number;
  readonly handler: UnixctlHandler;
}

const byName = (rows: Iterable<readonly [string, number]>): (readonly [string, number])[] =>
  [...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const lines = (rows: Iterable<string>): string => [...rows].map((l) => `${l}\n`).join("");

/** The commands, for registering on the controller's unixctl server. */
export function controllerCommands(c: ControllerIntrospection): AppctlCommand[] {
  return [
    {
      name: "ct-zone-list",
      usage: "",
      min: 0,
      max: 0,
      handler: () => lines(byName(c.ctZones()).map(([n, z]) => `${n} ${z}`)),
    },
    {
      name: "meter-table-list",
      usage: "",
      min: 0,
      max: 0,
      handler: () => lines(byName(c.meters()).map(([n, id]) => `${n}: ${id}`)),
    },
    {
      name: "group-table-list",
      usage: "",
      min: 0,
      max: 0,
      handler: () => lines(byName(c.groups()).map(([n, id]) => `${n}: ${id}`)),
    },
    // ovn-controller 23.03 lists recompute and flush-lflow-cache with the usage "[deprecated]".
    ...["recompute", "inc-engine/recompute"].map((name) => ({
      name,
      usage: name === "recompute" ? "[deprecated]" : "",
      min: 0,
      max: 0,
      handler: () => {
        c.recompute();
        return undefined;
      },
    })),
    // Nothing to do in ours: no start-up delay, no engine statistics, no chassis template variables
    // (the output is C's with none).
    ...["debug/ignore-startup-delay", "inc-engine/clear-stats"].map((name) => ({
      name,
      usage: "",
      min: 0,
      max: 0,
      handler: () => undefined,
    })),
    {
      name: "debug/dump-local-template-vars",
      usage: "",
      min: 0,
      max: 0,
      handler: () => "Local template vars:\n",
    },
    {
      name: "debug/status",
      usage: "",
      min: 0,
      max: 0,
      handler: () => (c.paused?.() === true ? "paused\n" : "running\n"),
    },
    ...(c.localBindings === undefined
      ? []
      : [
          {
            name: "debug/dump-local-bindings",
            usage: "",
            min: 0,
            max: 0,
            handler: () => c.localBindings?.() ?? "",
          },
        ]),
    ...(c.pause === undefined || c.resume === undefined
      ? []
      : [
          { name: "debug/pause", usage: "", min: 0, max: 0, handler: () => void c.pause?.() },
          { name: "debug/resume", usage: "", min: 0, max: 0, handler: () => void c.resume?.() },
        ]),
    {
      name: "connection-status",
      usage: "",
      min: 0,
      max: 0,
      handler: () => (c.sbConnected() ? "connected\n" : "not connected\n"),
    },
    {
      name: "sb-cluster-state-reset",
      usage: "",
      min: 0,
      max: 0,
      handler: () => {
        c.resetSbClusterState();
        return undefined;
      },
    },
    {
      name: "debug/delay-nb-cfg-report",
      usage: "SECONDS",
      min: 1,
      max: 1,
      handler: ([arg]) => {
        const s = Number(arg);
        if (!/^\d+$/.test(arg ?? "") || !Number.isSafeInteger(s)) throw new UnixctlError("invalid value");
        c.delayNbCfgReport(s);
        return s > 0 ? `delay nb_cfg report for ${s} seconds.` : "no delay for nb_cfg report.";
      },
    },
    ...["lflow-cache/flush", "flush-lflow-cache"].map((name) => ({
      name,
      usage: name === "flush-lflow-cache" ? "[deprecated]" : "",
      min: 0,
      max: 0,
      handler: () => {
        c.flushLflowCache();
        return undefined;
      },
    })),
    {
      name: "lflow-cache/show-stats",
      usage: "",
      min: 0,
      max: 0,
      handler: () => {
        const s = c.lflowCache();
        return lines([
          "Enabled: true",
          `total           : ${s.entries}`,
          `reused (last)   : ${s.reused}`,
          `compiled (last) : ${s.compiled}`,
        ]);
      },
    },
  ];
}
