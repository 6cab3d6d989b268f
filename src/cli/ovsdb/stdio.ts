// The tools' standard output, as an edge of its own.

/**
 * Like the C tools, a failed write to stdout (the reader went away: `| head`) ends the program with
 * "PROGRAM: write to stdout failed" and status 1, rather than a stack trace.
 */
export function exitOnStdoutFailure(program: string): void {
  process.stdout.on("error", () => {
    process.stderr.write(`${program}: write to stdout failed\n`);
    process.exit(1);
  });
}
