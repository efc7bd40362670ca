import * as v from 'valibot';

// One valibot schema per file kind of courses/. Each custom message is the *expected* half of an
// author-facing sentence; describe.ts adds what was found.

export const idSchema = v.pipe(
	v.string('un identifiant (texte)'),
	v.regex(
		/^[a-z0-9]+(?:-[a-z0-9]+)*$/,
		'un identifiant en minuscules, chiffres et tirets (ex. : lecon-1)'
	)
);
const text = v.pipe(v.string('un texte'), v.trim(), v.minLength(1, 'un texte non vide'));

/** A text in French, optionally in English: `{ fr: …, en: … }`. */
export const localizedSchema = v.strictObject(
	{ fr: text, en: v.optional(text) },
	'un texte par langue, sous la forme { fr: …, en: … }'
);
export type Localized = v.InferOutput<typeof localizedSchema>;

const share = (what: string) =>
	v.pipe(
		v.number(`${what} (un nombre entre 0 et 1)`),
		v.minValue(0, `${what} entre 0 et 1`),
		v.maxValue(1, `${what} entre 0 et 1`)
	);
const positiveInt = (what: string) =>
	v.pipe(
		v.number(`${what} (un nombre entier)`),
		v.integer(`${what} (un nombre entier)`),
		v.minValue(1, `${what} d'au moins 1`)
	);
const list = <T extends v.GenericSchema>(item: T, what: string, min = 1) =>
	v.pipe(v.array(item, `une liste de ${what}`), v.minLength(min, `au moins ${min} ${what}`));

// ——— Course ———

export const AUDIENCES = ['recrues', 'ccs', 'formateurs'] as const;

export const moduleSchema = v.strictObject(
	{
		id: idSchema,
		title: localizedSchema,
		summary: v.optional(localizedSchema),
		lessons: list(idSchema, 'identifiants de leçon'),
		assessment: v.optional(idSchema)
	},
	'un module { id, title, lessons, assessment }'
);

export const courseSchema = v.strictObject(
	{
		id: idSchema,
		version: v.pipe(
			v.string('un numéro de version (texte, ex. : "1.0.0")'),
			v.regex(/^\d+\.\d+\.\d+$/, 'un numéro de version de la forme 1.0.0')
		),
		title: localizedSchema,
		summary: localizedSchema,
		audience: list(v.picklist(AUDIENCES, `l'un de : ${AUDIENCES.join(', ')}`), 'publics'),
		modules: list(moduleSchema, 'modules')
	},
	'la description du cours { id, version, title, summary, audience, modules }'
);
export type CourseFile = v.InferOutput<typeof courseSchema>;
export type ModuleFile = v.InferOutput<typeof moduleSchema>;

// ——— Lesson frontmatter ———

export const lessonFrontmatterSchema = v.strictObject(
	{
		title: text,
		duration: v.pipe(
			v.number('une durée de lecture en minutes (un nombre entier)'),
			v.integer('une durée en minutes entières'),
			v.minValue(1, 'une durée entre 1 et 60 minutes'),
			v.maxValue(60, 'une durée entre 1 et 60 minutes')
		),
		objectives: list(text, 'objectifs'),
		glossary: v.optional(v.array(idSchema, 'une liste de termes du glossaire')),
		sources: list(text, 'sources')
	},
	"l'en-tête de la leçon { title, duration, objectives, sources }"
);
export type LessonFrontmatter = v.InferOutput<typeof lessonFrontmatterSchema>;

// ——— Quizzes ———

const choiceSchema = v.strictObject(
	{
		id: idSchema,
		text: localizedSchema,
		correct: v.optional(v.boolean('true ou false')),
		feedback: v.optional(localizedSchema)
	},
	'un choix { id, text, correct }'
);
const questionBase = {
	id: idSchema,
	prompt: localizedSchema,
	hints: v.optional(v.array(localizedSchema, 'une liste d’indices')),
	explanation: localizedSchema
};
const itemSchema = v.strictObject(
	{ id: idSchema, text: localizedSchema },
	'un élément { id, text }'
);

export const QUESTION_TYPES = [
	'single',
	'multiple',
	'true-false',
	'ordering',
	'matching',
	'short-text',
	'decision'
] as const;

export const questionSchema = v.variant(
	'type',
	[
		v.strictObject({
			type: v.literal('single'),
			...questionBase,
			choices: list(choiceSchema, 'choix', 2)
		}),
		v.strictObject({
			type: v.literal('multiple'),
			...questionBase,
			choices: list(choiceSchema, 'choix', 2)
		}),
		v.strictObject({
			type: v.literal('true-false'),
			...questionBase,
			answer: v.boolean('la bonne réponse : true ou false')
		}),
		v.strictObject({
			type: v.literal('ordering'),
			...questionBase,
			items: list(itemSchema, 'éléments (dans le bon ordre)', 2),
			scoring: v.optional(v.picklist(['partial', 'all-or-nothing'], 'partial ou all-or-nothing'))
		}),
		v.strictObject({
			type: v.literal('matching'),
			...questionBase,
			pairs: list(
				v.strictObject(
					{ id: idSchema, left: localizedSchema, right: localizedSchema },
					'une paire { id, left, right }'
				),
				'paires',
				2
			),
			distractors: v.optional(v.array(itemSchema, 'une liste de leurres { id, text }'))
		}),
		v.strictObject({
			type: v.literal('short-text'),
			...questionBase,
			accept: v.strictObject(
				{ fr: list(text, 'réponses acceptées'), en: v.optional(list(text, 'réponses acceptées')) },
				'les réponses acceptées par langue { fr: [...], en: [...] }'
			)
		}),
		v.strictObject({
			type: v.literal('decision'),
			...questionBase,
			choices: list(
				v.strictObject(
					{
						id: idSchema,
						text: localizedSchema,
						score: share('un score'),
						feedback: localizedSchema
					},
					'une option { id, text, score, feedback }'
				),
				'options',
				2
			)
		})
	],
	`un type de question parmi : ${QUESTION_TYPES.join(', ')}`
);
export type Question = v.InferOutput<typeof questionSchema>;
export type QuestionType = Question['type'];

const quizBase = {
	id: idSchema,
	title: localizedSchema,
	questions: list(questionSchema, 'questions')
};

export const quizSchema = v.variant(
	'mode',
	[
		v.strictObject({ mode: v.literal('formative'), ...quizBase }),
		v.strictObject({
			mode: v.literal('assessment'),
			...quizBase,
			passMark: share('une note de passage'),
			maxAttempts: positiveInt('un nombre maximal de tentatives'),
			draw: v.optional(positiveInt('un nombre de questions tirées')),
			shuffle: v.optional(v.boolean('true ou false')),
			timeLimit: v.optional(positiveInt('une durée limite en secondes'))
		})
	],
	'un mode parmi : formative (vérification dans une leçon), assessment (évaluation notée)'
);
export type QuizFile = v.InferOutput<typeof quizSchema>;

// ——— Scenarios ———

const scenarioChoiceSchema = v.strictObject(
	{
		id: idSchema,
		text: localizedSchema,
		next: idSchema,
		feedback: localizedSchema,
		score: v.optional(share('un score')),
		competency: v.optional(idSchema)
	},
	'un choix { id, text, next, feedback }'
);
export const OUTCOMES = ['success', 'partial', 'failure'] as const;
const scenarioNodeSchema = v.strictObject(
	{
		id: idSchema,
		text: localizedSchema,
		choices: v.optional(v.array(scenarioChoiceSchema, 'une liste de choix')),
		end: v.optional(
			v.strictObject(
				{
					outcome: v.picklist(OUTCOMES, `l'une des issues : ${OUTCOMES.join(', ')}`),
					debrief: localizedSchema
				},
				'une fin { outcome, debrief }'
			)
		)
	},
	'une étape { id, text, choices } ou une fin { id, text, end }'
);
export const scenarioSchema = v.strictObject(
	{
		id: idSchema,
		title: localizedSchema,
		summary: v.optional(localizedSchema),
		start: idSchema,
		nodes: list(scenarioNodeSchema, 'étapes', 2)
	},
	'un scénario { id, title, start, nodes }'
);
export type ScenarioFile = v.InferOutput<typeof scenarioSchema>;
export type ScenarioNode = ScenarioFile['nodes'][number];

// ——— Glossary ———

const definitionSchema = v.strictObject(
	{ term: text, definition: text },
	'un terme { term, definition }'
);
export const glossarySchema = v.record(
	idSchema,
	v.strictObject(
		{ fr: definitionSchema, en: v.optional(definitionSchema) },
		'un terme { fr: { term, definition }, en: { term, definition } }'
	),
	'une liste de termes : identifiant → { fr, en }'
);
export type GlossaryFile = v.InferOutput<typeof glossarySchema>;
