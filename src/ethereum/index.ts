/** The ethereum room (see ../../../shared/DESIGN.md). Re-exports only. */
export {};
