// The tenant database's whole drizzle schema, for drizzle-kit and for the typed database handle.
export * from './accounts.table';
export * from './leads.table';
export * from './deals.table';
export * from './approvals.table';
export * from './activities.table';
export * from './automation.table';
export * from './auth.table';
export * from './forms.table';
export * from './sync.table';
