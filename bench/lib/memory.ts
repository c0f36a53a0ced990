/**
 * Peak resident memory of the current process. Each memory phase runs in a fresh child process, so the peak
 * covers that phase only (plus the runtime's own start-up, reported separately as the baseline).
 */

const MB = 1024 * 1024;

/** Current RSS in MB. */
export const rssMb = (): number => process.memoryUsage().rss / MB;

/** The process's peak RSS since it started, in MB (`getrusage` max RSS, which the kernel reports in KiB). */
export const maxRssMb = (): number => (process.resourceUsage().maxRSS * 1024) / MB;

/** A sampler of `process.memoryUsage().rss` every `intervalMs`; `stop()` returns the highest sample in MB. */
export interface RssSampler {
  stop(): number;
}

/** Starts sampling RSS (the timer is unref'd so it never keeps the process alive). */
export const sampleRss = (intervalMs = 50): RssSampler => {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, intervalMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return peak / MB;
    },
  };
};
