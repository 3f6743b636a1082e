// What every job handler works with: the database, the clock, ids, the log and the mailer.
import type { ServerContext } from '../app/server-context';
import type { Mailer } from '../mail/mailer';

export interface JobContext extends Pick<ServerContext, 'db' | 'log' | 'clock' | 'newId'> {
  mailer: Mailer;
  /** Domain of the Message-IDs of nurture emails (`<enrollment.step@domain>`). */
  messageIdDomain: string;
}

/** The write stamp of a job transaction: its time, change version and id source. */
export interface JobStamp {
  now: number;
  version: number;
  newId: () => string;
}
