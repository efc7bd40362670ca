import { fieldPath, type Problem } from './problems';
import type { QuizFile, ScenarioFile } from './schema';
import type { YamlSource } from './yaml-source';

type Path = (string | number)[];

function reporter(source: YamlSource) {
	const problems: Problem[] = [];
	const add = (severity: Problem['severity']) => (path: Path, message: string) =>
		problems.push({
			file: source.file,
			line: source.lineOf(path),
			field: fieldPath(path),
			message,
			severity
		});
	return { problems, error: add('error'), warning: add('warning') };
}

function duplicates<T extends { id: string }>(
	items: readonly T[],
	at: Path,
	what: string,
	error: (p: Path, m: string) => void
) {
	const seen = new Set<string>();
	items.forEach((item, i) => {
		if (seen.has(item.id))
			error([...at, i, 'id'], `identifiant en double : ${what} « ${item.id} » existe déjà`);
		seen.add(item.id);
	});
}

/** Rules a quiz must follow beyond its schema: answer keys that make sense, unique ids, a sane draw. */
export function checkQuiz(quiz: QuizFile, source: YamlSource): Problem[] {
	const { problems, error, warning } = reporter(source);
	duplicates(quiz.questions, ['questions'], 'la question', error);
	quiz.questions.forEach((q, i) => {
		const at: Path = ['questions', i];
		switch (q.type) {
			case 'single':
			case 'multiple': {
				duplicates(q.choices, [...at, 'choices'], 'le choix', error);
				const correct = q.choices.filter((c) => c.correct).length;
				if (correct === 0)
					error(
						[...at, 'choices'],
						'aucune bonne réponse : attendu au moins un choix avec « correct: true »'
					);
				if (q.type === 'single' && correct > 1)
					error(
						[...at, 'choices'],
						`attendu une seule bonne réponse pour une question « single », trouvé ${correct} (utilisez « multiple »)`
					);
				break;
			}
			case 'decision':
				duplicates(q.choices, [...at, 'choices'], "l'option", error);
				if (!q.choices.some((c) => c.score === 1))
					error(
						[...at, 'choices'],
						'aucune meilleure option : attendu au moins une option avec « score: 1 »'
					);
				break;
			case 'ordering':
				duplicates(q.items, [...at, 'items'], "l'élément", error);
				break;
			case 'matching':
				duplicates(
					[...q.pairs, ...(q.distractors ?? [])],
					[...at, 'pairs'],
					'la paire ou le leurre',
					error
				);
				break;
		}
	});
	if (quiz.mode === 'assessment' && quiz.draw !== undefined) {
		if (quiz.draw > quiz.questions.length)
			error(
				['draw'],
				`attendu au plus ${quiz.questions.length} (le nombre de questions du fichier), trouvé ${quiz.draw}`
			);
		else if (quiz.questions.length < Math.ceil(quiz.draw * 1.5))
			warning(
				['draw'],
				`la banque devrait contenir au moins ${Math.ceil(quiz.draw * 1.5)} questions pour en tirer ${quiz.draw} (une fois et demie)`
			);
	}
	return problems;
}

/** A scenario must start somewhere, let every step be reached, and always lead to an end. */
export function checkScenario(scenario: ScenarioFile, source: YamlSource): Problem[] {
	const { problems, error } = reporter(source);
	duplicates(scenario.nodes, ['nodes'], "l'étape", error);
	const nodes = new Map(scenario.nodes.map((n) => [n.id, n]));
	if (!nodes.has(scenario.start))
		error(['start'], `l'étape de départ « ${scenario.start} » n'existe pas dans nodes`);

	scenario.nodes.forEach((node, i) => {
		const choices = node.choices ?? [];
		if (node.end && choices.length > 0)
			error(
				['nodes', i, 'end'],
				'une étape est soit une fin (end), soit un choix (choices), pas les deux'
			);
		if (!node.end && choices.length === 0)
			error(
				['nodes', i],
				`l'étape « ${node.id} » n'a pas d'issue : attendu des choix (choices) ou une fin (end)`
			);
		duplicates(choices, ['nodes', i, 'choices'], 'le choix', error);
		choices.forEach((c, ci) => {
			if (!nodes.has(c.next))
				error(['nodes', i, 'choices', ci, 'next'], `l'étape « ${c.next} » n'existe pas dans nodes`);
		});
	});
	if (!scenario.nodes.some((n) => n.end))
		error(['nodes'], 'aucune fin : attendu au moins une étape avec « end »');

	const reachable = new Set<string>();
	const queue = nodes.has(scenario.start) ? [scenario.start] : [];
	while (queue.length) {
		const id = queue.shift()!;
		if (reachable.has(id)) continue;
		reachable.add(id);
		for (const c of nodes.get(id)?.choices ?? []) if (nodes.has(c.next)) queue.push(c.next);
	}
	// A node "has a way out" when some path from it reaches an end: fixpoint over the choices.
	const escapes = new Set(scenario.nodes.filter((n) => n.end).map((n) => n.id));
	for (let changed = true; changed;) {
		changed = false;
		for (const n of scenario.nodes)
			if (!escapes.has(n.id) && (n.choices ?? []).some((c) => escapes.has(c.next))) {
				escapes.add(n.id);
				changed = true;
			}
	}
	scenario.nodes.forEach((node, i) => {
		if (nodes.has(scenario.start) && !reachable.has(node.id))
			error(
				['nodes', i, 'id'],
				`l'étape « ${node.id} » est inatteignable : aucun choix n'y mène depuis « ${scenario.start} »`
			);
		else if (!escapes.has(node.id) && (node.choices ?? []).length > 0)
			error(
				['nodes', i, 'id'],
				`l'étape « ${node.id} » est sans issue : aucun chemin n'en part vers une fin`
			);
	});
	return problems;
}
