/**
 * API Gateway throttling of the HTTP API: a stage-wide limit, and a tighter one on the public routes that do work.
 * HTTP APIs have no usage plans, so these limits hold for all callers together (SECURITY.md, "Rate limits").
 */
import type { RouteSpec } from "../functions/http/contract.js";

/** Requests per second (steady, burst) of the HTTP API stage, and of the public routes anyone can call. */
export interface ApiThrottling {
  rateLimit: number;
  burstLimit: number;
  /** Public routes that do real work (convert, check, verify, imports, registry match): a tighter limit. */
  publicRateLimit: number;
  publicBurstLimit: number;
}

export const DEFAULT_THROTTLING: ApiThrottling = {
  rateLimit: 200,
  burstLimit: 400,
  publicRateLimit: 50,
  publicBurstLimit: 100,
};

/**
 * Public routes that do real work for anyone (every public POST: conversion, checks, verification, imports, registry
 * matching, OpenID4VCI exchanges) get the tighter public limit; public GETs serve small, cacheable documents.
 */
export const isThrottledPublicRoute = (route: Pick<RouteSpec, "access" | "method">): boolean =>
  route.access === "public" && route.method !== "GET";
