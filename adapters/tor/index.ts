/** Adapter tor: turns an outside source into wildtrace model types. Re-exports only. */
export {};
