import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './001-initial';
import * as certificates from './002-certificates';
import * as dashboard from './003-dashboard';
import * as learnerCourse from './004-learner-course';

/**
 * Every migration, in order, bundled with the code (no folder read at run time, so the built
 * server and the tests see the same list). A new migration is appended; none is ever edited.
 */
export const migrations: Record<string, Migration> = {
	'001-initial': initial,
	'002-certificates': certificates,
	'003-dashboard': dashboard,
	'004-learner-course': learnerCourse
};

export const migrationProvider: MigrationProvider = {
	getMigrations: async () => migrations
};
