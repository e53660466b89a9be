@preconcurrency import Foundation
import PerfScopeCLI

// Thin entry point: all commands live in PerfScopeCLI so tests can drive them.
setvbuf(stdout, nil, _IOLBF, 0)
let code = await PerfScope.run(arguments: Array(CommandLine.arguments.dropFirst()))
exit(code)
