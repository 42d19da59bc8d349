// Parse a GEXF file with graphology-gexf and print what it found, as JSON:
// node and edge counts, edges per kind (the GEXF edge "kind" Gephi types edges by),
// edges with a colour, a weight, and a start date.
// Usage: node tests/js/read-gexf.js FILE.gexf   (run by tests/test_export.py)
'use strict';

const fs = require('fs');
const Graph = require('graphology');
const {parse} = require('graphology-gexf');

const graph = parse(Graph, fs.readFileSync(process.argv[2], 'utf-8'));
const kinds = {};
let coloured = 0;
let weighted = 0;
graph.forEachEdge((edge, attributes) => {
  kinds[attributes.kind] = (kinds[attributes.kind] || 0) + 1;
  if (attributes.color) coloured += 1;
  if (attributes.weight !== undefined) weighted += 1;
});
console.log(JSON.stringify({
  type: graph.type,
  multi: graph.multi,
  nodes: graph.order,
  edges: graph.size,
  kinds,
  coloured,
  weighted,
}));
