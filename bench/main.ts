// `npm run bench -- NAME [ARGS]`: side-by-side benchmarks of ovnts against the C components.
import { runCliBench } from "./cli/main.js";
import { runControllerBench } from "./controller/main.js";
import { runE2eBench } from "./e2e/main.js";
import { runLoadBench } from "./load/main.js";
import { runNorthdBench } from "./northd/main.js";
import { runOvsdbBench } from "./ovsdb/main.js";

const BENCHES: Record<string, (argv: readonly string[]) => Promise<number>> = {
  ovsdb: runOvsdbBench,
  cli: runCliBench,
  northd: runNorthdBench,
  controller: runControllerBench,
  e2e: runE2eBench,
  load: runLoadBench,
};

const USAGE = `usage: npm run bench -- BENCH [OPTIONS]
benchmarks: ${Object.keys(BENCHES).join(", ")} (each takes --help)
`;

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  const bench = name === undefined ? undefined : BENCHES[name];
  if (bench === undefined) {
    process.stderr.write(name === undefined ? USAGE : `bench: unknown benchmark ${name}\n${USAGE}`);
    return 1;
  }
  return bench(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    // Exit now: a failed benchmark can leave database connections retrying in the background, which
    // would keep the process (and whoever waits for it) hanging after the sandbox has been torn down.
    process.exit(1);
  },
);
