import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { bodyDecoding } from "../../../../../functions/http/middleware/body.js";
import { validation } from "../../../../../functions/http/middleware/validation.js";
import { pipeline, problem, TEST_ROUTE } from "../../../../support/middleware.js";

const send = (body: unknown) => ({ body: JSON.stringify(body), headers: { "content-type": "application/json" } });

describe("request validation", () => {
  it("answers 400 naming each failing field, and agrees with a separate Ajv on which bodies are valid", async () => {
    const run = pipeline([bodyDecoding(), validation()]);
    const reference = new Ajv2020({ strict: false }).compile(TEST_ROUTE.body ?? {});
    const bodies: unknown[] = [{ name: "a" }, { name: 3 }, {}, { name: "a", extra: 1 }, { name: "01234567890" }];
    for (const body of bodies) {
      const res = await run(send(body));
      expect(res.statusCode === 200, JSON.stringify(body)).toBe(reference(body));
    }
    const res = await run(send({ name: 3 }));
    expect(res.statusCode).toBe(400);
    expect(problem(res).errors?.map((e) => e.pointer)).toContain("/body/name");
  });
});
