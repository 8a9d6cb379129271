import { readConfig } from "../../functions/config.js";
import { convert } from "../../functions/core/convert.js";
import { jobCsv } from "../../test/support/jobs.js";
const { limits } = readConfig({ GATEWAY_MODE: "local" });
const csv = jobCsv(1000, { batch: "x" });
const to = (process.argv[2] ?? "elm") as "elm";
for (let i = 0; i < 8; i++) await convert({ from: "csv", to, document: csv }, limits);
