// The directory methods: who and what a screen can pick from (users, teams, companies) and a conversion's suggested matches.
import { z } from 'zod';
import { defineMethods } from './contract';
import { Id } from '../domain/common.schema';
import { Team, User } from '../domain/accounts.schema';
import { Company, Contact } from '../domain/leads.schema';

export const DirectoryUser = User.pick({ id: true, name: true, email: true, role: true, teamId: true, active: true });
export type DirectoryUser = z.infer<typeof DirectoryUser>;

export const DIRECTORY_API = defineMethods({
  /** The tenant's users and teams in the local store, by name. */
  'directory.list': { input: z.object({}), output: z.object({ users: z.array(DirectoryUser), teams: z.array(Team) }) },
  /** Companies whose name or domain contains the text (case-insensitive), by name. */
  'companies.search': {
    input: z.object({ text: z.string().trim().max(200).default(''), limit: z.number().int().min(1).max(100).default(20) }),
    output: z.array(Company),
  },
  'companies.get': { input: z.object({ id: Id }), output: Company },
  'contacts.get': { input: z.object({ id: Id }), output: Contact },
  /** What converting this lead would link: the company and contact 'auto' would pick, and why. */
  'leads.conversionPreview': {
    input: z.object({ leadId: Id }),
    output: z.object({
      company: z.object({ company: Company, matchedBy: z.enum(['domain', 'name']) }).nullable(),
      contact: Contact.nullable(),
    }),
  },
});
