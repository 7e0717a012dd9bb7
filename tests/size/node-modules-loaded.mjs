// Prints, as JSON, the modules of Node's own that importing the Node entry loads. Run as the main
// module of a fresh process (tests/size/startup.test.mjs): its ES-module loader is then already
// running, as in an app whose entry is an ES module, so only the entry's own cost is counted.
const before = new Set(process.moduleLoadList);
await import(new URL("../../pkg/dist/node.js", import.meta.url));
console.log(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m))));
