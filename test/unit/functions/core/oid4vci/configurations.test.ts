import { describe, expect, it } from "vitest";
import {
  CREDENTIAL_CONFIGURATIONS,
  EDC_AP_CONTEXT_URL,
  OB3_CONTEXT_URL,
} from "../../../../../functions/core/oid4vci/configurations.js";
import { EDC_AP_CONTEXT_URL as ELM_CONTEXT } from "../../../../../mappings/elm/context.js";
import { OB3_CONTEXT_URL as OB3_CONTEXT } from "../../../../../mappings/ob3/contexts.js";

describe("OpenID4VCI credential configurations", () => {
  it("name the contexts the writers pin, though they spell the URLs themselves to keep the contexts out of init", () => {
    // Assess
    expect(OB3_CONTEXT_URL).toBe(OB3_CONTEXT);
    expect(EDC_AP_CONTEXT_URL).toBe(ELM_CONTEXT);
    expect(CREDENTIAL_CONFIGURATIONS.OpenBadgeCredential_ldp_vc.definition["@context"]).toContain(OB3_CONTEXT);
    expect(CREDENTIAL_CONFIGURATIONS.EuropeanDigitalCredential_jades.definition["@context"]).toContain(ELM_CONTEXT);
  });
});
