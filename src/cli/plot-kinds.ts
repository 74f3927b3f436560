// What `descent plot` accepts, apart from ./plot.ts: the command line needs these at start-up,
// while plot.ts (with vega and vega-lite behind it) is loaded only when a plot is drawn.

/** Plot kinds `descent plot` makes. */
export const PLOT_KINDS = ['bands', 'histogram', 'contours', 'basins', 'sharpness', 'spectrum'] as const;
export type PlotKind = (typeof PLOT_KINDS)[number];

/** Flags of `descent plot`. */
export interface PlotFlags {
  kind?: unknown;
  out?: unknown;
  spec?: boolean;
  width?: unknown;
  height?: unknown;
  title?: unknown;
  scale?: unknown;
  bins?: unknown;
  levels?: unknown;
  resolution?: unknown;
  range?: unknown;
  fill?: boolean;
  points?: unknown;
}
