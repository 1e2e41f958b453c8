/** The market room (see ../../../shared/DESIGN.md). Re-exports only. */
export {};
