/** Defined in contract/validation/bounded.ts (the module connectors and the Worker share); this path re-exports it. */
export * from "../../../../connectors/contract/validation/bounded.ts";
