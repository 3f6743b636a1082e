// Outgoing email through SMTP (nodemailer); without an SMTP_URL, messages are written to the log instead of sent.
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /**
   * The RFC 5322 Message-ID, e.g. `<enrollment.step@fieldcrm>`. A retried send reuses it, so a receiver (or a
   * mail log) can tell a resend after a crash from a second message.
   */
  messageId: string;
}

export interface SentMail {
  messageId: string;
  accepted: string[];
}

export interface Mailer {
  /** Sends one message; rejects when the SMTP peer refuses it or cannot be reached (the caller's job retries). */
  send(mail: OutgoingMail): Promise<SentMail>;
  close(): void;
}

export interface MailLog {
  info(obj: object, msg: string): void;
}

export interface MailerConfig {
  /** e.g. `smtp://127.0.0.1:2525` or `smtps://user:pass@mail.example.com`; null logs instead of sending. */
  smtpUrl: string | null;
  from: string;
  /** Connection/greeting/socket timeouts, so an unresponsive peer fails the job instead of hanging it. */
  timeoutMs?: number;
}

export function createMailer(config: MailerConfig, log: MailLog): Mailer {
  const timeout = config.timeoutMs ?? 15_000;
  const transport: Transporter = config.smtpUrl
    ? nodemailer.createTransport({ url: config.smtpUrl, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout } satisfies SMTPTransport.Options)
    : nodemailer.createTransport({ jsonTransport: true });
  return {
    async send(mail) {
      const info = await transport.sendMail({ from: config.from, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId });
      if (!config.smtpUrl) log.info({ mail: { to: mail.to, subject: mail.subject, messageId: mail.messageId } }, 'SMTP_URL not set: mail logged, not sent');
      const accepted = Array.isArray(info.accepted) ? info.accepted.map(String) : [mail.to];
      return { messageId: mail.messageId, accepted };
    },
    close() {
      transport.close();
    },
  };
}
