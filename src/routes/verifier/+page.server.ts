import { getLocale } from '$lib/paraglide/runtime';
import { courseSummaries } from '$lib/server/certificates/courses';
import type { PageServerLoad } from './$types';

export const load = (() => ({ courses: courseSummaries(getLocale()) })) satisfies PageServerLoad;
