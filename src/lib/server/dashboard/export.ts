import { toCsv, type Cell, type Separator } from '$lib/dashboard/csv';
import type { RiskReason } from '$lib/dashboard/at-risk';
import type { Cohort } from '../cohorts';
import type { Db } from '../db';
import type { ItemReport } from './items';
import { cohortReport, quizKey } from './report';
import type { CohortStructure } from './structure';

// The files an instructor hands to their ministry: the learners × lessons grid of a whole cohort
// (every learner, not one page), and the item analysis of an assessment.

const pct = (x: number | null | undefined) =>
	x === null || x === undefined ? null : Math.round(x * 100);
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : null);

/** A risk in words, for the page and the CSV. */
export function riskText(reason: RiskReason, structure: CohortStructure): string {
	switch (reason.kind) {
		case 'inactive':
			return `Aucune activité depuis ${reason.days} jours`;
		case 'failed': {
			const a = structure.assessments.find(
				(x) => x.courseId === reason.courseId && x.quizId === reason.quizId
			);
			return `Évaluation « ${a?.title ?? reason.quizId} » échouée ${reason.attempts} fois`;
		}
		case 'stuck': {
			const l = structure.lessons.find(
				(x) => x.courseId === reason.courseId && x.lessonId === reason.lessonId
			);
			return `Leçon « ${l?.title ?? reason.lessonId} » commencée il y a ${reason.days} jours, pas terminée`;
		}
	}
}

const STATUS = { completed: 'terminée', 'in-progress': 'en cours', 'not-started': '' } as const;

export async function gridCsv(
	db: Db,
	cohort: Cohort,
	separator: Separator,
	now = Date.now()
): Promise<string> {
	const report = await cohortReport(db, cohort, {
		now,
		pageSize: Number.MAX_SAFE_INTEGER
	});
	const { structure } = report;
	const header: Cell[] = [
		'Nom',
		'Matricule',
		'Inscription',
		'Dernière activité',
		'Dernière synchronisation',
		...structure.courses.map((c) => `${c.title} (%)`),
		...structure.lessons.map((l) => `${l.short} ${l.title}`),
		...structure.assessments.flatMap((a) => [
			`${a.title} — meilleur score (%)`,
			`${a.title} — réussie`
		]),
		'À surveiller'
	];
	const rows = report.grid.rows.map((r): Cell[] => [
		r.displayName,
		r.serviceNumber,
		day(r.joinedAt),
		day(r.lastActivity),
		day(r.lastSyncAt),
		...structure.courses.map((c) => r.percent[c.id] ?? 0),
		...structure.lessons.map(
			(l) => STATUS[r.cells[`${l.courseId}/${l.lessonId}`]?.status ?? 'not-started']
		),
		...structure.assessments.flatMap((a) => {
			const cell = r.assessments[quizKey(a.courseId, a.quizId)];
			return cell && cell.attempts > 0
				? [pct(cell.bestScore), cell.passed ? 'oui' : 'non']
				: [null, null];
		}),
		r.risks.map((x) => riskText(x, structure)).join(' ; ')
	]);
	return toCsv(header, rows, separator);
}

export function itemsCsv(report: ItemReport, separator: Separator): string {
	const header: Cell[] = [
		'N°',
		'Question',
		'Réponses',
		'Bonnes réponses (%)',
		'Score moyen (%)',
		'Discrimination (haut-bas 27 %)',
		'Mauvaise réponse la plus choisie',
		'Choisie par (%)',
		'Provisoire (moins de 10 réponses)'
	];
	const rows = report.items.map((item, i): Cell[] => [
		i + 1,
		item.prompt,
		item.responses,
		pct(item.shareCorrect),
		pct(item.meanScore),
		item.discrimination,
		item.topDistractor?.text ?? null,
		pct(item.topDistractor?.share),
		item.provisional ? 'oui' : 'non'
	]);
	return toCsv(header, rows, separator);
}

/** A cohort or quiz name as a file name: ASCII letters, digits and dashes. */
export function fileName(name: string): string {
	return (
		name
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.replace(/[^A-Za-z0-9]+/g, '-')
			.replace(/^-|-$/g, '')
			.toLowerCase()
			.slice(0, 60) || 'promotion'
	);
}

/** A CSV download, never cached (it holds people's names). */
export function csvResponse(csv: string, file: string): Response {
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${file}"`,
			'cache-control': 'private, no-store'
		}
	});
}
