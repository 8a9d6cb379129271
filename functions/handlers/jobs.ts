/**
 * Lambda: bulk jobs (issue 8). Its routes are in the contract and validate their input
 * already; until they are built they answer 501 problem+json.
 */
import { getDeps } from "../composition.js";
import { familyHandler } from "../http/family.js";

export const createHandler = (deps: typeof getDeps) => familyHandler("jobs", {}, deps);

export const handler = createHandler(getDeps);
