using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Jevm.Codegen;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Evm.Tracing;
using Jevm.StateTests;

namespace Jevm.Cli.Commands;

internal sealed class StateTestCommand : ICommand
{
    public string Name => "statetest";
    public string Summary => "run Ethereum state tests (files or folders) and compare state roots and logs";
    public string Usage => """
        usage: jevm statetest [--engine interpreter|jit|tiered] [--fork F] [--run REGEX] [--trace] [--jsonl] PATH...
               jevm statetest --json [--nomemory] [--nostack] [--noreturndata] [--engine E] [--fork F] PATH...
               jevm statetest --batch [--json ...] < list-of-paths

        Runs every case (fork × data/gas/value index) of the state-test JSON files given, or found under the folders given,
        and compares the state root and logs hash with the expected ones. Prints one line per failing or skipped case and
        ends with "N passed, M failed, K skipped". Exit code 1 when a case failed, 2 for usage errors.

          --engine E     the execution engine (default interpreter)
          --fork F       only cases of this fork (e.g. Cancun; fixture aliases such as EIP150 accepted)
          --run REGEX    only tests whose name matches
          --trace        print EIP-3155 JSON lines for every step on stderr, then {"output","gasUsed","stateRoot"} per case
          --jsonl        print one JSON object per case on stdout instead of text lines

        Cross-client form (as geth's `evm statetest`, for goevmlab and hive-style runners):
          --json         EIP-3155 trace lines on stderr, then per case the summary
                         {"stateRoot","output","gasUsed","pass","fork","time"[,"error"]}; on stdout, per file, the result
                         list [{"name","pass","stateRoot","fork"[,"error"]}]
          --nostack      leave the stack out of trace lines
          --nomemory, --noreturndata   accepted (trace lines never carry memory or return data)
          --batch        read state-test file paths from stdin, one per line, and answer each in turn (result list on
                         stdout, flushed) until end of input; without --json nothing goes to stderr but errors
        """;

    internal static EngineKind ParseEngine(string name) => name.ToLowerInvariant() switch
    {
        "interpreter" => EngineKind.Interpreter,
        "jit" => EngineKind.Jit,
        "tiered" => EngineKind.Tiered,
        _ => throw new UsageException($"unknown engine '{name}'; known engines: interpreter, jit, tiered"),
    };

    internal static Fork ParseFork(string name)
    {
        if (ForkNames.TryParse(name, out var f)) return f;
        throw new UsageException($"unknown fork '{name}'; known forks: {string.Join(", ", Enum.GetNames<Fork>())} (aliases: EIP150, EIP158, ConstantinopleFix, MuirGlacier, ArrowGlacier, GrayGlacier, Merge)");
    }

    internal static IExecutionEngine CreateEngine(EngineKind kind, ITracer? tracer)
    {
        if (!Engines.IsAvailable(kind)) throw new UsageException($"engine '{kind.ToString().ToLowerInvariant()}' is not available yet");
        return Engines.Create(kind, tracer);
    }

    public int Run(string[] args)
    {
        var kind = EngineKind.Interpreter;
        Fork? fork = null;
        Regex? pattern = null;
        bool trace = false, json = false, jsonl = false, noStack = false, batch = false;
        var paths = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{a} needs a value");
            switch (a)
            {
                case "--engine": kind = ParseEngine(Value()); break;
                case "--fork": fork = ParseFork(Value()); break;
                case "--run":
                    string re = Value();
                    try { pattern = new Regex(re, RegexOptions.CultureInvariant); }
                    catch (ArgumentException e) { throw new UsageException($"bad --run pattern '{re}': {e.Message}"); }
                    break;
                case "--trace": trace = true; break;
                case "--json": json = true; break;
                case "--jsonl": jsonl = true; break;
                case "--nostack": noStack = true; break;
                case "--nomemory" or "--noreturndata": break; // trace lines carry neither
                case "--batch": batch = true; break;
                default:
                    if (a.StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"unknown option '{a}'");
                    paths.Add(a);
                    break;
            }
        }
        if (batch)
        {
            if (paths.Count > 0) throw new UsageException("--batch reads the paths from stdin; give no PATH");
            CreateEngine(kind, null);
            return RunBatch(kind, new StateTestFilter { Fork = fork, NamePattern = pattern }, json, noStack);
        }
        if (paths.Count == 0) throw new UsageException("no PATH given (a state-test file or folder)");
        var files = new List<string>();
        foreach (var p in paths)
        {
            if (!File.Exists(p) && !Directory.Exists(p)) throw new UsageException($"no such file or folder: {p}");
            files.AddRange(StateTestRunner.FindFiles(p));
        }
        CreateEngine(kind, null); // usage error now rather than per file
        var filter = new StateTestFilter { Fork = fork, NamePattern = pattern };
        if (json) return RunCrossClient(files, kind, filter, noStack);

        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
        int passed = 0, failed = 0, skipped = 0;
        string? formatError = null;
        var clock = Stopwatch.StartNew();
        long lastProgress = 0;

        void Report(int index, List<CaseResult>? results, Exception? error)
        {
            if (error is not null)
            {
                if (error is StateTestFormatException && formatError is null) formatError = error.Message;
                else if (error is not StateTestFormatException)
                {
                    failed++;
                    stdout.WriteLine($"FAIL {files[index]}: {error.GetType().Name}: {error.Message}");
                }
                return;
            }
            foreach (var r in results!)
            {
                switch (r.Outcome)
                {
                    case CaseOutcome.Passed: passed++; break;
                    case CaseOutcome.Failed: failed++; break;
                    case CaseOutcome.Skipped: skipped++; break;
                }
                if (jsonl) stdout.WriteLine(ToJson(r));
                else if (r.Outcome == CaseOutcome.Failed) stdout.WriteLine($"FAIL {r.Test.File} {r.Id}: {r.Reason}");
                else if (r.Outcome == CaseOutcome.Skipped) stdout.WriteLine($"SKIP {r.Test.File} {r.Id}: {r.Reason}");
            }
            if (files.Count > 1 && clock.ElapsedMilliseconds - lastProgress > 5000)
            {
                lastProgress = clock.ElapsedMilliseconds;
                stdout.Flush();
                Console.Error.WriteLine($"[{index + 1}/{files.Count} files, {clock.Elapsed.TotalSeconds:F0}s] {passed} passed, {failed} failed, {skipped} skipped");
            }
        }

        if (trace)
        {
            // One case at a time, each with its own tracing engine, so the trace lines of cases do not interleave.
            StateTestRunner.OnLargeStack(() =>
            {
                for (int i = 0; i < files.Count; i++)
                {
                    List<CaseResult>? results = null;
                    Exception? error = null;
                    try
                    {
                        results = new List<CaseResult>();
                        foreach (var test in StateTestLoader.LoadFile(files[i]))
                            foreach (var c in test.Cases)
                            {
                                if (!filter.Includes(test, c)) continue;
                                var tracer = new Eip3155Tracer(Console.Error);
                                var r = StateTestRunner.RunCase(test, c, CreateEngine(kind, tracer));
                                Console.Error.WriteLine($"{{\"output\":\"{Convert.ToHexStringLower(r.Output)}\",\"gasUsed\":\"0x{r.GasUsed:x}\",\"stateRoot\":\"{r.ActualRoot}\"}}");
                                results.Add(r);
                            }
                    }
                    catch (Exception e) { error = e; results = null; }
                    Report(i, results, error);
                }
                return 0;
            });
        }
        else
        {
            int workers = files.Count > 1 ? Environment.ProcessorCount : 1;
            StateTestRunner.RunFiles(files, () => CreateEngine(kind, null), filter, workers, Report);
        }

        if (formatError is not null)
        {
            stdout.Flush();
            Console.Error.WriteLine($"jevm statetest: {formatError}");
            return CommandLine.ExitUsage;
        }
        stdout.WriteLine($"{passed} passed, {failed} failed, {skipped} skipped");
        stdout.Flush();
        return failed > 0 ? CommandLine.ExitFailure : CommandLine.ExitOk;
    }

    // ---- the cross-client form (geth's `evm statetest`) ----

    private static int RunCrossClient(List<string> files, EngineKind kind, StateTestFilter filter, bool noStack)
    {
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
        var stderr = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = false };
        bool allPassed = StateTestRunner.OnLargeStack(() =>
        {
            bool ok = true;
            foreach (var f in files) ok &= RunFileCrossClient(f, kind, filter, trace: true, noStack, stdout, stderr);
            return ok;
        });
        return allPassed ? CommandLine.ExitOk : CommandLine.ExitFailure;
    }

    private static int RunBatch(EngineKind kind, StateTestFilter filter, bool trace, bool noStack)
    {
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
        var stderr = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = false };
        return StateTestRunner.OnLargeStack(() => RunBatch(Console.In, stdout, stderr, kind, filter, trace, noStack));
    }

    /// <summary>Answers each state-test path read from <paramref name="input"/> (one per line) until its end.</summary>
    internal static int RunBatch(TextReader input, TextWriter stdout, TextWriter stderr, EngineKind kind, StateTestFilter filter, bool trace, bool noStack)
    {
        bool ok = true;
        string? line;
        while ((line = input.ReadLine()) is not null)
        {
            string path = line.Trim();
            if (path.Length > 0) ok &= RunFileCrossClient(path, kind, filter, trace, noStack, stdout, stderr);
        }
        return ok ? CommandLine.ExitOk : CommandLine.ExitFailure;
    }

    /// <summary>
    /// Runs one file as geth's <c>evm statetest</c>: when <paramref name="trace"/>, EIP-3155 lines and a summary per
    /// case on <paramref name="stderr"/>; then the result list on <paramref name="stdout"/>. Both are flushed before it
    /// returns (fuzzers wait for the answer to each file). True when every case passed.
    /// </summary>
    internal static bool RunFileCrossClient(string path, EngineKind kind, StateTestFilter filter, bool trace, bool noStack,
        TextWriter stdout, TextWriter stderr)
    {
        var buffer = new MemoryStream();
        bool allPassed = true;
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            try
            {
                var engine = CreateEngine(kind, null);
                foreach (var test in StateTestLoader.LoadFile(path))
                    foreach (var c in test.Cases)
                    {
                        if (!filter.Includes(test, c)) continue;
                        ITracer? tracer = null;
                        if (trace)
                        {
                            var lines = new Eip3155Tracer(stderr);
                            tracer = noStack ? new StacklessTracer(lines) : lines;
                        }
                        var clock = Stopwatch.StartNew();
                        var r = StateTestRunner.RunCase(test, c, tracer is null ? engine : CreateEngine(kind, tracer));
                        bool pass = r.Outcome == CaseOutcome.Passed;
                        allPassed &= pass;
                        string? error = r.Outcome == CaseOutcome.Skipped ? "skipped: " + r.Reason : r.Reason;
                        if (trace)
                        {
                            var summary = new MemoryStream();
                            using (var s = new Utf8JsonWriter(summary))
                            {
                                s.WriteStartObject();
                                s.WriteString("stateRoot", r.ActualRoot.ToString());
                                s.WriteString("output", Convert.ToHexStringLower(r.Output));
                                s.WriteString("gasUsed", $"0x{r.GasUsed:x}");
                                s.WriteBoolean("pass", pass);
                                s.WriteString("fork", c.ForkName);
                                s.WriteNumber("time", (long)(clock.Elapsed.TotalMilliseconds * 1_000_000));
                                if (error is not null) s.WriteString("error", error);
                                s.WriteEndObject();
                            }
                            stderr.WriteLine(System.Text.Encoding.UTF8.GetString(summary.ToArray()));
                        }
                        w.WriteStartObject();
                        w.WriteString("name", test.Name);
                        w.WriteBoolean("pass", pass);
                        w.WriteString("stateRoot", r.ActualRoot.ToString());
                        w.WriteString("fork", c.ForkName);
                        if (error is not null) w.WriteString("error", error);
                        w.WriteEndObject();
                    }
            }
            catch (Exception e) when (e is StateTestFormatException or IOException or UnauthorizedAccessException)
            {
                // One bad file must not end a batch: report it and answer with the cases run so far.
                stderr.WriteLine($"jevm statetest: {path}: {e.Message}");
                allPassed = false;
            }
            w.WriteEndArray();
        }
        stderr.Flush();
        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        stdout.Flush();
        return allPassed;
    }

    /// <summary>Passes steps on without the stack (<c>--nostack</c>).</summary>
    private sealed class StacklessTracer(ITracer inner) : ITracer
    {
        public void OnStep(int pc, byte op, long gas, long gasCost, int memorySize, ReadOnlySpan<Jevm.Numerics.UInt256> stack, int depth, long refund) =>
            inner.OnStep(pc, op, gas, gasCost, memorySize, [], depth, refund);

        public void OnFrameEnd(in ExecutionResult result, int depth) => inner.OnFrameEnd(result, depth);
    }

    private static string ToJson(CaseResult r)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("file", r.Test.File);
            w.WriteString("name", r.Test.Name);
            w.WriteString("fork", r.Case.ForkName);
            w.WriteNumber("d", r.Case.DataIndex);
            w.WriteNumber("g", r.Case.GasIndex);
            w.WriteNumber("v", r.Case.ValueIndex);
            w.WriteString("result", r.Outcome.ToString().ToLowerInvariant());
            w.WriteBoolean("pass", r.Outcome == CaseOutcome.Passed);
            if (r.Reason is not null) w.WriteString("error", r.Reason);
            w.WriteString("stateRoot", r.ActualRoot.ToString());
            w.WriteString("expectedStateRoot", r.Case.ExpectedRoot.ToString());
            w.WriteString("logsHash", r.ActualLogs.ToString());
            w.WriteString("expectedLogsHash", r.Case.ExpectedLogs.ToString());
            w.WriteString("gasUsed", $"0x{r.GasUsed:x}");
            w.WriteString("output", Hex.Encode(r.Output));
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
