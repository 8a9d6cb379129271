/**
 * Lambda: conversion and the micro-credential check (issues 3-5). Its routes are in the contract and validate their input
 * already; until they are built they answer 501 problem+json.
 */
import { getDeps } from "../composition.js";
import { familyHandler } from "../http/family.js";

export const createHandler = (deps: typeof getDeps) => familyHandler("convert", {}, deps);

export const handler = createHandler(getDeps);
