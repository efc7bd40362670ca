// npm run bench:report — merges every bench's part file into bench/results/latest.{json,md}.
// The contract is described at the top of bench/lib/report.ts.
import { writeReport } from './lib/report';

const { report, rejected } = writeReport();
console.log(
	`bench report: ${report.parts.length} parts (${report.parts.map((p) => p.name).join(', ')}) → bench/results/latest.md, latest.json`
);
for (const r of rejected) console.error(`part file not read: ${r}`);
const missed = report.parts.flatMap((p) =>
	p.rows.filter((r) => r.ok === false).map((r) => `${p.name}: ${r.metric}`)
);
if (missed.length) console.log(`targets missed (${missed.length}):\n  ${missed.join('\n  ')}`);
