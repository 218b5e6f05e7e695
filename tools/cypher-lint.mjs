#!/usr/bin/env node
// Lint Cypher statements with Neo4j's own Cypher language support
// (@neo4j-cypher/language-support: the linter of the Neo4j VS Code extension and
// of the Neo4j browser/workspace editors), plus checks that package leaves out.
//
// Usage:  node tools/cypher-lint.mjs < input.json > output.json
//
// Input (JSON on stdin):
//   {
//     "schema": {...},      // a DbSchema: labels, relationshipTypes, propertyKeys,
//                           // graphSchema, functions, procedures... (see the package's
//                           // dist/esm/project/language-support/src/dbSchema.d.ts)
//     "statements": [{"name": "GET_NODES", "query": "MATCH ...", "parameters": {"ids": null}}],
//     "versions": ["CYPHER 5", "CYPHER 25"],  // optional: lint under each of these
//                                             // (default: schema.defaultLanguage or CYPHER 5)
//     "catalog": "builtin" | "none",          // optional, default "none"; "builtin" declares
//                                             // Neo4j's built-in functions and procedures
//                                             // (no APOC, no GDS), so unknown ones are errors
//     "extraChecks": true                     // optional, default true: see below
//   }
// Each statement's "parameters" become schema.parameters for that statement only (the
// values do not matter); a parameter used but not declared is an error
// ("Parameter $x is not defined.").
//
// Output (JSON on stdout), one entry per input statement, in order:
//   [{"name": "GET_NODES", "diagnostics": [{"severity": "error" | "warning" | "information"
//     | "hint", "message": "...", "line": 1, "column": 7,   // 1-based, in the statement
//     "source": "neo4j" | "peacegraph", "versions": ["CYPHER 5", "CYPHER 25"]}]}]
// "source" tells Neo4j's linter from the extra checks below.
//
// Extra checks ("source": "peacegraph"), for what lintCypherQuery leaves out:
//   - it checks labels and relationship types of read clauses only, never those of
//     CREATE / MERGE / SET / REMOVE: here every label or relationship-type token
//     must be in schema.labels or schema.relationshipTypes;
//   - it checks property keys read in MATCH / WITH / RETURN only, never written ones
//     nor map projection selectors: here `x.key` anywhere, `x {.key}`, and
//     `{key: ...}` in a pattern of a write clause must be in schema.propertyKeys
//     when x is a node or relationship variable (as are all variables of a schema
//     command such as CREATE INDEX);
//   - it silently skips its semantic analysis for some statements (a COUNT, EXISTS
//     or COLLECT subquery inside a map literal): a statement with variables but no
//     symbol table back is reported, since only its syntax was checked;
//   - it accepts several statements separated by `;`, which a driver refuses:
//     each input must hold exactly one statement.
// Correction (with or without extra checks): lintCypherQuery takes `key` in a pattern
// such as `(n:X {id: row.key})` for a property of n; its warning that `key` is not a
// property key is dropped when `row` is not a node or a relationship.
//
// Exit status: 0 when linting ran, whatever it found; 2 on bad input or when the
// package cannot be loaded, with a message on stderr.

const PACKAGE = '@neo4j-cypher/language-support';
const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
const NOT_IN_SCHEMA =
  'is not in the schema (graph/model.py, or EXTRA_* of the statements module). ' +
  "Make sure you didn't misspell it.";
// CREATE / DROP of an index or a constraint.
const SCHEMA_COMMAND =
  /^\s*(CYPHER\s+\d+\s+)?(CREATE|DROP)\s+(OR\s+REPLACE\s+)?(\w+\s+){0,2}(CONSTRAINT|INDEX)\b/i;
const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);

let cypher; // the package, loaded by main()

function fail(message) {
  process.stderr.write(`cypher-lint: ${message}\n`);
  process.exit(2);
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseInput(text) {
  let input;
  try {
    input = JSON.parse(text);
  } catch (error) {
    fail(`input is not JSON: ${error.message}`);
  }
  if (!isPlainObject(input)) fail('input must be a JSON object');
  const { schema = {}, statements, versions, catalog = 'none', extraChecks = true } = input;
  if (!isPlainObject(schema)) fail('"schema" must be an object (a DbSchema)');
  if (!Array.isArray(statements)) fail('"statements" must be a list');
  statements.forEach((statement, index) => {
    if (!isPlainObject(statement)) fail(`statements[${index}] must be an object`);
    if (typeof statement.name !== 'string') fail(`statements[${index}].name must be a string`);
    if (typeof statement.query !== 'string') fail(`statements[${index}].query must be a string`);
    if (!isPlainObject(statement.parameters ?? {})) {
      fail(`statements[${index}].parameters must be an object`);
    }
  });
  const known = cypher.allCypherVersions;
  const chosen = versions ?? [schema.defaultLanguage ?? 'CYPHER 5'];
  if (!Array.isArray(chosen) || chosen.length === 0 || chosen.some((v) => !known.includes(v))) {
    fail(`"versions" must be a non-empty list drawn from ${JSON.stringify(known)}`);
  }
  if (!['builtin', 'none'].includes(catalog)) fail('"catalog" must be "builtin" or "none"');
  if (typeof extraChecks !== 'boolean') fail('"extraChecks" must be true or false');
  return { schema, statements, versions: chosen, catalog, extraChecks };
}

// Neo4j's built-in functions and procedures, per Cypher version. The package ships
// them, as recorded from a Neo4j server, in `testData.mockSchema`; plugin ones (APOC,
// GDS) are dropped because the backend must run on a plain Neo4j.
function builtinCatalog() {
  const mock = cypher.testData?.mockSchema;
  if (!mock?.functions || !mock?.procedures) {
    fail(`this version of ${PACKAGE} has no testData.mockSchema catalog`);
  }
  const isPlugin = (name) => /^(apoc|gds)\./.test(name);
  const pick = (registry, keep) =>
    Object.fromEntries(
      Object.entries(registry).map(([version, entries]) => [
        version,
        Object.fromEntries(Object.entries(entries).filter(([name, item]) => keep(name, item))),
      ]),
    );
  return {
    functions: pick(mock.functions, (name, fn) => fn.isBuiltIn && !isPlugin(name)),
    procedures: pick(mock.procedures, (name) => !isPlugin(name)),
  };
}

// The package's parser, for the properties a statement writes. It is not exported
// by the package index, so it is loaded from the module next to the index.
async function loadParser() {
  const index = import.meta.resolve(PACKAGE);
  const module = await import(new URL('./cypherLanguageService.js', index).href);
  if (typeof module.createParsingResult !== 'function') {
    fail(`cannot find createParsingResult in ${PACKAGE}`);
  }
  return module.createParsingResult;
}

function positionAt(query, offset) {
  const before = query.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function unquote(name) {
  return name.replace(/^`|`$/g, '');
}

function isNodeOrRel(symbol) {
  return (
    Boolean(symbol) &&
    symbol.types.length > 0 &&
    symbol.types.every((type) => type === 'Node' || type === 'Relationship')
  );
}

// What one statement looks like to the package: its tokens (as for highlighting),
// and its variables with their types (from the semantic analysis).
class Statement {
  constructor(query) {
    this.query = query;
    this.tokens = cypher
      .highlightSyntax(query, { consoleCommandsEnabled: false })
      .filter((t) => t.tokenType !== 'none');
    this.symbols = [];
  }

  tokenIndexAt(offset) {
    return this.tokens.findIndex((t) => t.position.startOffset === offset);
  }

  symbolAt(offset) {
    return this.symbols.find(
      (s) => s.references.includes(offset) || s.definitionPosition === offset,
    );
  }

  // For the property token at index i written `x.key`, the token of x.
  dottedOwner(i) {
    if (i < 2 || this.tokens[i].tokenType !== 'property') return undefined;
    const [owner, dot] = [this.tokens[i - 2], this.tokens[i - 1]];
    return dot.token === '.' && owner.tokenType === 'variable' ? owner : undefined;
  }
}

function isMisattributedProperty(diagnostic, statement) {
  if (diagnostic.severity !== 2) return false;
  if (!/^\S+ is not present in the database\./.test(diagnostic.message)) return false;
  const i = statement.tokenIndexAt(diagnostic.offsets.start);
  const owner = i >= 0 ? statement.dottedOwner(i) : undefined;
  if (!owner) return false;
  const symbol = statement.symbolAt(owner.position.startOffset);
  return Boolean(symbol) && !isNodeOrRel(symbol);
}

function extraDiagnostics(statement, schema, official, createParsingResult) {
  const { query, tokens } = statement;
  const found = [];
  const add = (offset, message, severity = 'warning') => found.push({ severity, message, offset });

  const parts = cypher.parseStatementsStrs(query).filter((s) => s.trim() !== '');
  if (parts.length > 1) {
    add(0, `${parts.length} statements in one string; a driver runs one at a time`, 'error');
    return found;
  }
  // After a syntax error, positions and symbols are unreliable: report that alone.
  if (official.some((d) => d.severity === 1)) return found;
  const officialAt = new Set(official.map((d) => d.offsets.start));
  // Schema commands get no symbol table, but their variables are all pattern ones.
  const schemaCommand = SCHEMA_COMMAND.test(query);

  if (schema.labels && schema.relationshipTypes) {
    const names = new Set([...schema.labels, ...schema.relationshipTypes]);
    tokens.forEach((token, i) => {
      const name = unquote(token.token);
      // (in schema commands, relationship types are lexed as plain symbolic names)
      const isLabel =
        token.tokenType === 'label' ||
        (schemaCommand && token.tokenType === 'symbolicName' && tokens[i - 1]?.token === ':');
      if (isLabel && !names.has(name)) {
        if (!officialAt.has(token.position.startOffset)) {
          add(token.position.startOffset, `Label or relationship type ${name} ${NOT_IN_SCHEMA}`);
        }
      }
    });
  }

  if (schema.propertyKeys) {
    const keys = new Set(schema.propertyKeys);
    const seen = new Set();
    const check = (name, offset, ownerOffset) => {
      if (keys.has(name) || officialAt.has(offset) || seen.has(offset)) return;
      if (!schemaCommand && !isNodeOrRel(statement.symbolAt(ownerOffset))) return;
      seen.add(offset);
      add(offset, `Property ${name} ${NOT_IN_SCHEMA}`);
    };
    const openers = []; // for each open bracket: the variable before a `{`, or null
    tokens.forEach((token, i) => {
      if (token.tokenType === 'bracket' && OPEN.has(token.token)) {
        const before = tokens[i - 1];
        openers.push(token.token === '{' && before?.tokenType === 'variable' ? before : null);
      } else if (token.tokenType === 'bracket' && CLOSE.has(token.token)) {
        openers.pop();
      } else if (token.tokenType === 'property') {
        const name = unquote(token.token);
        const owner = statement.dottedOwner(i);
        const projected = openers[openers.length - 1];
        if (owner) {
          // `x.key`
          check(name, token.position.startOffset, owner.position.startOffset);
        } else if (projected && tokens[i - 1]?.token === '.') {
          // `x {.key}`
          if (['{', ','].includes(tokens[i - 2]?.token)) {
            check(name, token.position.startOffset, projected.position.startOffset);
          }
        }
      }
    });
    // `{key: ...}` in a node or relationship pattern of a write clause.
    const parsed = createParsingResult(query, { consoleCommandsEnabled: false });
    for (const part of parsed.statementsParsing) {
      for (const property of part.collectedProperties) {
        if (property.type !== 'write' || !property.variable) continue;
        const i = statement.tokenIndexAt(property.offsets.start);
        if (i > 0 && tokens[i - 1].token === '.') continue; // `x.key`, done above
        check(property.propertyName, property.offsets.start, property.variable.start);
      }
    }
  }

  const hasVariables = tokens.some((t) => t.tokenType === 'variable');
  if (hasVariables && statement.symbols.length === 0 && !schemaCommand) {
    add(
      0,
      "Neo4j's semantic analysis returned nothing for this statement, so only its syntax " +
        'was checked (known cause: a COUNT/EXISTS/COLLECT subquery inside a map literal; ' +
        'compute it in a WITH first, or use a map projection)',
    );
  }
  return found;
}

function lintOne(input, schema, versions, createParsingResult) {
  const statement = new Statement(input.query);
  const merged = new Map();
  for (const version of versions) {
    const dbSchema = { ...schema, defaultLanguage: version, parameters: input.parameters ?? {} };
    const result = cypher.lintCypherQuery(input.query, dbSchema, { consoleCommandsEnabled: false });
    statement.symbols = result.symbolTables.flat();
    const official = result.diagnostics.filter((d) => !isMisattributedProperty(d, statement));
    const diagnostics = official.map((d) => ({
      severity: SEVERITY[d.severity] ?? String(d.severity),
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      source: 'neo4j',
    }));
    if (createParsingResult) {
      for (const { offset, ...rest } of extraDiagnostics(
        statement,
        dbSchema,
        official,
        createParsingResult,
      )) {
        diagnostics.push({ ...rest, ...positionAt(input.query, offset), source: 'peacegraph' });
      }
    }
    for (const d of diagnostics) {
      const key = JSON.stringify([d.severity, d.message, d.line, d.column, d.source]);
      if (!merged.has(key)) merged.set(key, { ...d, versions: [] });
      merged.get(key).versions.push(version);
    }
  }
  const diagnostics = [...merged.values()].sort(
    (a, b) => a.line - b.line || a.column - b.column || a.message.localeCompare(b.message),
  );
  return { name: input.name, diagnostics };
}

async function main() {
  try {
    cypher = await import(PACKAGE);
  } catch (error) {
    fail(`cannot load ${PACKAGE} (run npm ci at the repository root): ${error.message}`);
  }
  const { schema, statements, versions, catalog, extraChecks } = parseInput(await readStdin());
  const fullSchema = catalog === 'builtin' ? { ...schema, ...builtinCatalog() } : schema;
  const createParsingResult = extraChecks ? await loadParser() : undefined;
  const results = statements.map((s) => lintOne(s, fullSchema, versions, createParsingResult));
  process.stdout.write(JSON.stringify(results, null, 1) + '\n');
}

main().catch((error) => fail(error?.stack ?? String(error)));
