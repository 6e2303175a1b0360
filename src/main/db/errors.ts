/** Why the station refuses to open its database. Each carries a sentence a technician can act on. */
export type DatabaseProblem = 'too_new' | 'corrupt' | 'pragma_not_applied' | 'bad_migrations';

export class DatabaseOpenError extends Error {
  constructor(
    readonly problem: DatabaseProblem,
    message: string,
  ) {
    super(message);
    this.name = 'DatabaseOpenError';
  }
}
