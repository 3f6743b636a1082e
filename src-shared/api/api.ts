// The whole API: every domain's methods merged into one map; the client's `call` is typed from it.
import { mergeMethods } from './contract';
import { ACTIVITIES_API } from './activities.api';
import { APPROVALS_API } from './approvals.api';
import { AUDIT_API } from './audit.api';
import { DEALS_API } from './deals.api';
import { LEADS_API } from './leads.api';
import { NOTIFICATIONS_API } from './notifications.api';
import { PIPELINES_API } from './pipelines.api';
import { DIRECTORY_API } from './directory.api';
import { CONFLICTS_API } from '../sync/conflicts.api';

export const API = mergeMethods(LEADS_API, DEALS_API, PIPELINES_API, ACTIVITIES_API, APPROVALS_API, AUDIT_API, NOTIFICATIONS_API, DIRECTORY_API, CONFLICTS_API);
export type Api = typeof API;
export type MethodName = keyof Api & string;
