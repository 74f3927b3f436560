// The public `descent.schedules` namespace: the schedules, their values and types (packing,
// coercion and the id table of src/schedules.ts stay internal; issue 21: curated namespaces).
export { constant, step, exponential, cosine, inverseTime, array, isSchedule, fromJSON, values } from '../schedules.ts';
export type { ScheduleKind, Schedule } from '../schedules.ts';
