// The OVSDB benchmark's figures, in the order the table prints them.
import type { Figure } from "./figure.js";
import { bigTransaction } from "./figures/big-transaction.js";
import { coldStart } from "./figures/cold-start.js";
import { fanout } from "./figures/fanout.js";
import { initialMonitor } from "./figures/initial-monitor.js";
import { pipelined } from "./figures/pipelined.js";
import { rss } from "./figures/rss.js";
import { sequential } from "./figures/sequential.js";

export const FIGURES: readonly Figure[] = [
  sequential,
  pipelined,
  bigTransaction,
  fanout,
  initialMonitor,
  coldStart,
  rss,
];
