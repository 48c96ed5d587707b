// Validates Backstage tech-radar documents with the parser that the Backstage plugin
// itself ships (@backstage-community/plugin-tech-radar-common), then checks that every
// entry names a configured quadrant and every snapshot a configured ring.
// Usage: node backstage_check.cjs <node_modules prefix> <file.json> [...]
"use strict";
const fs = require("fs");
const path = require("path");

const prefix = process.argv[2];
const common = require(path.join(prefix, "node_modules", "@backstage-community", "plugin-tech-radar-common"));
let failed = false;
for (const file of process.argv.slice(3)) {
  const document = JSON.parse(fs.readFileSync(file, "utf8"));
  const result = common.TechRadarLoaderResponseParser.safeParse(document);
  const problems = result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  if (result.success) {
    const quadrants = new Set(result.data.quadrants.map((q) => q.id));
    const rings = new Set(result.data.rings.map((r) => r.id));
    result.data.entries.forEach((entry, index) => {
      if (!quadrants.has(entry.quadrant)) problems.push(`entries.${index}.quadrant: unknown ${entry.quadrant}`);
      entry.timeline.forEach((point, at) => {
        if (!rings.has(point.ringId)) problems.push(`entries.${index}.timeline.${at}.ringId: unknown ${point.ringId}`);
        if (Number.isNaN(point.date.getTime())) problems.push(`entries.${index}.timeline.${at}.date: invalid`);
      });
    });
  }
  for (const problem of problems) console.log(`${path.basename(file)}: ${problem}`);
  failed = failed || problems.length > 0;
}
process.exit(failed ? 1 : 0);
