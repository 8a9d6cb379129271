import { MemoryRegistryStore } from "../../functions/adapters/local/memory-registry.js";
import { registryStoreContract } from "./registry-store.contract.js";

registryStoreContract("MemoryRegistryStore", async () => new MemoryRegistryStore());
