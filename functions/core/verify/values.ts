/** Small readers of JSON values the checks share. */
import { isRecord } from "../../../lib/guards.js";

export function absent(value: unknown): boolean {
  return value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

export function idOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  return isRecord(value) && typeof value.id === "string" ? value.id : undefined;
}

export function stringsOf(value: unknown): string[] {
  return toArray(value).filter((v): v is string => typeof v === "string");
}

export function toArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
