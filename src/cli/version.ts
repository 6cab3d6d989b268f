// The version every ovnts subcommand reports.
export const VERSION = "0.1.0";
