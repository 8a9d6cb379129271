/** The wall clock, injected so that use cases and writers can be given a fixed time. */
export interface Clock {
  now(): Date;
}
