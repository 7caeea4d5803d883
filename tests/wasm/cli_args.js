// `--name value` pairs of process.argv as an object.
module.exports = function parseArgs(argv = process.argv.slice(2)) {
  const args = {};
  for (let i = 0; i + 1 < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1];
  return args;
};
