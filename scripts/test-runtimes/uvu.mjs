// uvu's output, as scripts/test-runtimes.mjs reads it: a runtime's result record, its summaries
// (Total / Passed / Skipped / Duration), DETERMINISM and RUNTIME lines, and which browser console
// messages are fragments of uvu's own stream.

/** A runtime's result, before parsing; the --timeout (timeoutMs) covers everything: launch, load, tests. */
export function newResult(name, timeoutMs) {
  return {
    name,
    version: '',
    ms: 0,
    fatal: null, // the run produced no usable result: launch/crash/timeout/missing summary
    problems: [], // further runtime-level failures, one count each
    pageErrors: [],
    summaries: [],
    determinism: new Map(), // name -> [hex, ...]
    runtimeLine: '',
    exit: null, // processes: { code, signal, timedOut }
    deadline: Date.now() + timeoutMs, // the --timeout covers everything: launch, load, tests
    stop: null, // browsers: why the driver stopped listening before the summary (timeout, interrupt)
  };
}

export function parseOutput(result, lines) {
  for (const line of lines) {
    let m;
    if ((m = /^\s*Total:\s+(\d+)\s*$/.exec(line))) result.summaries.push({ total: +m[1], passed: null, skipped: null, duration: null });
    else if ((m = /^\s*Passed:\s+(\d+)\s*$/.exec(line)) && result.summaries.length) result.summaries.at(-1).passed = +m[1];
    else if ((m = /^\s*Skipped:\s+(\d+)\s*$/.exec(line)) && result.summaries.length) result.summaries.at(-1).skipped = +m[1];
    else if ((m = /^\s*Duration:\s+(.+?)\s*$/.exec(line)) && result.summaries.length) result.summaries.at(-1).duration = m[1];
    // Tests print these with console.log, which can land after uvu's bullets on one line.
    for (const d of line.matchAll(/(?:^|\s)DETERMINISM[ \t]+(\S+)[ \t]+([0-9a-fA-F]+)(?=\s|$)/g)) {
      const list = result.determinism.get(d[1]) ?? [];
      list.push(d[2].toLowerCase());
      result.determinism.set(d[1], list);
    }
    if (!result.runtimeLine && (m = /(?:^|\s)RUNTIME (.+)$/.exec(line))) result.runtimeLine = m[1].trim();
  }
}

export const remaining = (result) => Math.max(0, result.deadline - Date.now());

export const summaryOf = (r) => {
  const s = r.summaries.at(-1);
  return s && s.passed !== null ? { ...s, skipped: s.skipped ?? 0 } : null;
};

// uvu writes with console.log in a browser, one call per fragment ("• ", a suite name, "\n  Total: 3").
// Rebuild the stream a terminal would show: uvu fragments are written as they are, every
// other message is a line of its own.
export function isUvuFragment(plain) {
  return plain === '• ' || plain === '✘ ' || plain.startsWith('\n') || plain.endsWith('\n') ||
    (plain.length > 3 && plain.startsWith(' ') && plain.endsWith('  ') && !plain.includes('\n'));
}
