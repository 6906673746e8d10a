// Lint Cypher with Neo4j's own parser (@neo4j-cypher/language-support).
// stdin: JSON [{"query": "...", "parameters": {...}}, ...]
// stdout: JSON [[{"severity", "message", "line", "character"}, ...], ...] (one list per query)
// One process lints a whole batch: loading the parser is the slow part.
"use strict";
const { lintCypherQuery } = require("@neo4j-cypher/language-support");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(({ query, parameters }) =>
    lintCypherQuery(query, { parameters: parameters || {} }).diagnostics.map((d) => ({
      severity: d.severity,
      message: d.message,
      line: d.range.start.line + 1,
      character: d.range.start.character + 1,
    })));
  process.stdout.write(JSON.stringify(out));
});
