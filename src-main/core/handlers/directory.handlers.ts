// Handlers of the directory methods: plain reads of users, teams and companies, and the conversion's match preview.
import type { HandlerMap } from '../../../src-shared/api/contract';
import type { DIRECTORY_API } from '../../../src-shared/api/directory.api';
import { matchCompany, matchContact } from '../../../src-shared/domain/lead-conversion';
import type { CoreContext } from '../core-context';
import { mustRead, readEntities } from '../core-context';

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const directoryHandlers: HandlerMap<typeof DIRECTORY_API, CoreContext> = {
  'directory.list'(_input, ctx) {
    const users = readEntities(ctx, 'users', '', [], 'ORDER BY name, id').map(({ id, name, email, role, teamId, active }) => ({ id, name, email, role, teamId, active }));
    return { users, teams: readEntities(ctx, 'teams', '', [], 'ORDER BY name, id') };
  },
  'companies.search'(input, ctx) {
    const like = `%${likeEscape(input.text)}%`;
    return readEntities(ctx, 'companies', `name LIKE ? ESCAPE '\\' OR domain LIKE ? ESCAPE '\\'`, [like, like], `ORDER BY name, id LIMIT ${input.limit}`);
  },
  'companies.get': (input, ctx) => mustRead(ctx, 'companies', input.id, 'company'),
  'contacts.get': (input, ctx) => mustRead(ctx, 'contacts', input.id, 'contact'),
  'leads.conversionPreview'(input, ctx) {
    const lead = mustRead(ctx, 'leads', input.leadId, 'lead');
    const contacts = lead.email ? readEntities(ctx, 'contacts', 'lower(email) = ?', [lead.email.toLowerCase()]) : [];
    return { company: matchCompany(lead, readEntities(ctx, 'companies', '', [])), contact: matchContact(lead, contacts) };
  },
};
