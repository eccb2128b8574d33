/** Defined in contract/money/minor-units.ts (the module connectors and the Worker share); this path re-exports it. */
export * from "../../../../connectors/contract/money/minor-units";
