/** Lower case, no accents: « Sécurité » is found by typing « securite ». */
export const normalizeForSearch = (text: string) =>
	text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase();
