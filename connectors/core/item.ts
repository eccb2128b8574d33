/** Defined in contract/item.ts (the module connectors and the Worker share); this path re-exports it. */
export * from "../contract/item";
