/** Defined in contract/vocabulary.ts (the module connectors and the Worker share); this path re-exports it. */
export * from "../../../connectors/contract/vocabulary";
