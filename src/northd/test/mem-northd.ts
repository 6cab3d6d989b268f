// northd over the in-memory OVSDB server (the real server core behind pipes; see
// src/ovsdb/idl/test/mem-server.ts): NB and SB served by one MemServer, a NorthdDaemon with its own
// IDLs, and a client IDL on the NB to make changes. Fast and deterministic: no sockets, no processes.

import { type OvnNbTables, ovnNbModel } from "../../ovsdb/idl/generated/ovn-nb.js";
import { type OvnSbTables, ovnSbModel } from "../../ovsdb/idl/generated/ovn-sb.js";
import { Idl } from "../../ovsdb/idl/idl.js";
import { MemServer, settle, until } from "../../ovsdb/idl/test/mem-server.js";
import type { Txn } from "../../ovsdb/idl/txn.js";
import { NorthdCore } from "../core.js";
import { NorthdDaemon, type NorthdDaemonOptions } from "../daemon.js";
import type { StageBuilder } from "../lflow/api.js";
import type { GlobalDefaults } from "../model-build.js";
import { sbMonitorSpec } from "../sync/sb-flows.js";

export const TEST_DEFAULTS: GlobalDefaults = { macPrefix: "0a:00:00", svcMonitorMac: "0a:00:00:00:00:fe" };

export class MemNorthd {
  readonly ms = new MemServer(["ovn-nb", "ovn-sb"]);
  readonly client: Idl<OvnNbTables>;
  readonly nb: Idl<OvnNbTables>;
  readonly sb: Idl<OvnSbTables>;
  readonly sbClient: Idl<OvnSbTables>;
  readonly daemon: NorthdDaemon;

  constructor(
    readonly builders: readonly StageBuilder[],
    check = true,
    /** The daemon's clock (default: the server's manual clock; a real one for timings). */
    now?: () => number,
    /** More daemon options (reclaim hooks). */
    more: Pick<NorthdDaemonOptions, "reclaim" | "reclaimAfterRows"> = {},
  ) {
    const opts = { remotes: ["unix:/db.sock"], dial: this.ms.dial, clock: this.ms.clock };
    this.client = new Idl(ovnNbModel, opts);
    this.sbClient = new Idl(ovnSbModel, opts);
    this.nb = new Idl(ovnNbModel, opts);
    this.sb = new Idl(ovnSbModel, { ...opts, monitor: sbMonitorSpec() });
    this.daemon = new NorthdDaemon(this.nb, this.sb, {
      builders,
      defaults: TEST_DEFAULTS,
      check,
      now: now ?? (() => this.ms.clock.now()),
      // The test process keeps V8's defaults.
      tuneHeap: false,
      ...more,
    });
    for (const i of [this.client, this.sbClient, this.nb, this.sb]) i.start();
  }

  async started(): Promise<this> {
    await until(
      this.ms.clock,
      () =>
        this.client.isSynced &&
        this.sbClient.isSynced &&
        this.nb.isSynced &&
        this.sb.isSynced &&
        this.sb.hasLock,
      "IDLs to sync",
    );
    await this.sync();
    return this;
  }

  /** Commits a change to the NB through the client IDL and waits until northd has caught up. */
  async change(build: (txn: Txn<OvnNbTables>, idl: Idl<OvnNbTables>) => void): Promise<void> {
    await this.client.transact((txn) => build(txn, this.client));
    await this.sync();
  }

  /** Bumps nb_cfg and waits until sb_cfg has it (like ovn-nbctl --wait=sb sync). */
  async sync(): Promise<void> {
    const { result } = await this.client.transact((txn) => {
      const g = this.client.first("NB_Global");
      const u = g === undefined ? txn.insert("NB_Global") : g._uuid;
      txn.mutate("NB_Global", u, "nbCfg", "+=", 1);
      return undefined;
    });
    void result;
    const want = (this.client.first("NB_Global")?.nbCfg ?? 0) + 0;
    await until(
      this.ms.clock,
      () => {
        const g = this.client.first("NB_Global");
        return g !== undefined && g.nbCfg >= want && g.sbCfg >= g.nbCfg;
      },
      "sb_cfg to catch up",
      10,
    );
    await until(
      this.ms.clock,
      () => this.sbClient.first("SB_Global")?.nbCfg === this.client.first("NB_Global")?.nbCfg,
      "SB client",
      10,
    );
    await settle();
  }

  /** A fresh core's full recompute against the daemon's replicas: what it would still write. */
  pendingFullRecompute(): string[] {
    const core = new NorthdCore({ builders: this.builders, defaults: TEST_DEFAULTS });
    // The client replicas have every table (the daemon's SB replica leaves Logical_Flow out).
    const txn = this.sbClient.txn();
    core.run(this.client, this.sbClient, txn, undefined);
    return txn.operations().map((o) => JSON.stringify(o));
  }

  stop(): void {
    this.daemon.stop();
    for (const i of [this.client, this.sbClient, this.nb, this.sb]) i.stop();
    this.ms.dropAll();
  }
}
