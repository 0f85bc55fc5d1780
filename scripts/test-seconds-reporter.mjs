// node:test reporter used by scripts/test-units.sh beside the spec reporter: one line
// "<test file>\t<milliseconds>" per top-level test, from which scripts/test-plan.ts records each
// unit-test file's seconds for the next run's shard plan.
export default async function* testSecondsReporter(source) {
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file) {
      yield `${event.data.file}\t${event.data.details.duration_ms}\n`;
    }
  }
}
