// The scenario matrix's runner: one topology per test file, built once per stack (ref, northd,
// controller, all — OVNTS_SCENARIO_STACKS picks them), and each scenario of the file a subtest of that
// stack's test.  Expectations are concrete packets, so a failure on `ref` means the scenario is wrong.
// Every scenario must pass on every stack: there is no way to mark one as expected to fail.
import assert from "node:assert/strict";
import { test } from "node:test";
import { chain } from "../../src/sandbox/topology.js";
import type { Vif } from "../support/chassis.js";
import {
  type Stack,
  type StackName,
  type StackOptions,
  scenarioStacks,
  startStack,
} from "../support/chassis.js";
import { describe, udpTag } from "../support/frames.js";
import { routerPort } from "../support/nbctl-build.js";
import { toHex } from "../support/pcap.js";
import { Sandbox, withSandbox } from "../support/sandbox.js";
import { waitUntil } from "../support/wait.js";

/**
 * How long the control plane may take to converge (ports up, bindings, learnt addresses) and how long a
 * packet may take to come out.  Generous because the suite shares two cores with everything else;
 * waits end as soon as the condition holds, so a passing run does not pay for them.
 */
export const SETTLE_MS = 60_000;
export const PACKET_MS = 10_000;

export interface Scenario<T> {
  readonly name: string;
  readonly run: (s: Stack, topo: T) => Promise<void>;
}

export interface MatrixFile<T> extends StackOptions {
  readonly title: string;
  /** Builds the file's topology on a started stack; what it returns is handed to every scenario. */
  readonly setup: (s: Stack) => Promise<T>;
  readonly scenarios: readonly Scenario<T>[];
  /** Per-stack time limit (default 240 s; a loaded machine is slow to start eight daemons). */
  readonly timeoutMs?: number;
}

/**
 * Registers one test per selected stack, each with the file's scenarios as subtests.  Debugging aid:
 * `OVNTS_SCENARIO_KEEP=STACK node dist/test/scenarios/peer/FILE.test.js` builds the file's topology on that
 * stack, prints the sandbox directory and keeps everything running until interrupted.
 */
export function matrix<T>(file: MatrixFile<T>): void {
  const keep = process.env.OVNTS_SCENARIO_KEEP;
  if (keep !== undefined && keep !== "") {
    void keepTopology(file, keep as StackName);
    return;
  }
  for (const stack of scenarioStacks()) {
    test(`[${stack}] ${file.title}`, { timeout: file.timeoutMs ?? 240_000 }, (t) =>
      withSandbox(async (box) => {
        const s = await startStack(box, stack, {
          ...(file.chassis !== undefined ? { chassis: file.chassis } : {}),
          ...(file.bridgeMappings !== undefined ? { bridgeMappings: file.bridgeMappings } : {}),
        });
        const topo = await file.setup(s);
        let failed = 0;
        for (const sc of file.scenarios) {
          await t.test(sc.name, async () => {
            try {
              await sc.run(s, topo);
            } catch (e) {
              failed++;
              throw e;
            }
          });
        }
        // Let withSandbox print the daemons' logs when a scenario failed.
        if (failed > 0) throw new Error(`${failed} scenario(s) failed on stack ${stack}`);
      }),
    );
  }
}

/** Frames a VIF sent after the first `from` (hex). */
export function sentSince(vif: Vif, from: number): Uint8Array[] {
  return vif
    .sent()
    .slice(from)
    .map((p) => p.data);
}

/**
 * Injects `frame` on `from` and waits until `to` has sent `count` new frames that satisfy `match`;
 * returns them.  The frames of other traffic (e.g. periodic RAs) are ignored.
 */
export async function expectDelivered(
  from: Vif,
  frame: Uint8Array,
  to: Vif,
  match: (f: Uint8Array) => boolean,
  count = 1,
  timeoutMs = PACKET_MS,
): Promise<Uint8Array[]> {
  const before = to.sent().length;
  await from.inject(frame);
  return waitUntil(
    () => {
      const got = sentSince(to, before).filter(match);
      return got.length >= count ? got : false;
    },
    timeoutMs,
    { what: `${to.name} to send ${count} matching frame(s) after ${describe(frame)} on ${from.name}` },
  ).catch((e: unknown) => {
    const seen = sentSince(to, before).map(describe);
    throw new Error(`${(e as Error).message}\n  ${to.name} sent: ${JSON.stringify(seen)}`);
  });
}

export interface Barrier {
  /** A frame that must arrive, by a path through the same chassis as the dropped one. */
  readonly frame: Uint8Array;
  /** Where it is injected (default: where the dropped frame was). */
  readonly from?: Vif;
  /** Where it must arrive (default: where the dropped frame must not). */
  readonly to?: Vif;
}

/**
 * Checks that `dropped` does not come out of `to`: injects it, then the barrier, waits for the barrier
 * and asserts that nothing matching `match` other than the barrier came out of `to` meanwhile.
 */
export async function expectDropped(
  from: Vif,
  dropped: Uint8Array,
  to: Vif,
  barrier: Barrier,
  match: (f: Uint8Array) => boolean = () => true,
): Promise<void> {
  const before = to.sent().length;
  await from.inject(dropped);
  const barrierHex = toHex(barrier.frame);
  await expectDelivered(barrier.from ?? from, barrier.frame, barrier.to ?? to, (f) =>
    sameFlowAs(f, barrier.frame, barrierHex),
  );
  const others = sentSince(to, before).filter((f) => match(f) && !sameFlowAs(f, barrier.frame, barrierHex));
  assert.deepEqual(others.map(describe), [], `${describe(dropped)} must not reach ${to.name}`);
}

/** A frame is the barrier when bytes match, or (after routing rewrites) when udp4's tag does. */
function sameFlowAs(f: Uint8Array, barrier: Uint8Array, barrierHex: string): boolean {
  if (toHex(f) === barrierHex) return true;
  const tag = udpTag(barrier);
  return tag !== undefined && udpTag(f) === tag;
}

let nextTag = 1;
/** The switch side of a router port: `lsp` on `ls`, of type router, peered with router port `lrp`. */
export async function routerPeer(s: Stack, ls: string, lsp: string, lrp: string): Promise<void> {
  await s.nbctl(...chain(routerPort(ls, lsp, lrp)).slice(1));
}

/** A fresh udp4 tag, so that every frame a file sends can be told apart. */
export function tag(): number {
  return nextTag++;
}

async function keepTopology<T>(file: MatrixFile<T>, stack: StackName): Promise<void> {
  const box = Sandbox.create();
  const s = await startStack(box, stack, {
    ...(file.chassis !== undefined ? { chassis: file.chassis } : {}),
    ...(file.bridgeMappings !== undefined ? { bridgeMappings: file.bridgeMappings } : {}),
  });
  try {
    await file.setup(s);
  } catch (e) {
    process.stdout.write(`set-up failed (kept anyway): ${e instanceof Error ? e.message : String(e)}\n`);
  }
  process.stdout.write(`topology of '${file.title}' on ${stack} ready in ${box.dir}\n`);
  setInterval(() => {}, 60_000);
}
