// Compiles one Solidity source with solc-js (optimizer on, 200 runs) and prints, as JSON,
// the runtime bytecode of every contract in it, or the compiler's errors.
// Usage: node compile.js < Source.sol
const solc = require('solc');
const fs = require('fs');
const source = fs.readFileSync(0, 'utf8');
const input = {
  language: 'Solidity',
  sources: { 'Verifier.sol': { content: source } },
  settings: {
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['evm.deployedBytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
if (errors.length > 0) {
  console.log(JSON.stringify({ errors: errors.map((e) => e.formattedMessage) }));
  process.exit(1);
}
const contracts = {};
for (const [name, c] of Object.entries(output.contracts['Verifier.sol'])) {
  contracts[name] = c.evm.deployedBytecode.object;
}
console.log(JSON.stringify({ version: solc.version(), contracts }));
