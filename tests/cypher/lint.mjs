// Lint Cypher statements with Neo4j's own Cypher front end (@neo4j-cypher/language-support), offline.
//
// stdin:  {"schema": DbSchema, "statements": {"NAME": "cypher text", ...}}
// stdout: {"NAME": [{"severity": "error"|"warning", "message": "...", "offsets": {...}}], ...}
// Every statement is reported, with an empty list when Neo4j's parser and semantic analysis find
// nothing. Warnings matter: an undeclared label, relationship type or property key is a warning.
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { schema, statements } = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const severity = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
const out = {};
for (const [name, query] of Object.entries(statements)) {
  const { diagnostics } = lintCypherQuery(query, schema, { consoleCommandsEnabled: false });
  out[name] = diagnostics.map((d) => ({
    severity: severity[d.severity] ?? String(d.severity),
    message: d.message,
    offsets: d.offsets,
  }));
}
process.stdout.write(JSON.stringify(out));
