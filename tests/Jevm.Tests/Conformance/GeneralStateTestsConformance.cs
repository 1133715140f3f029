using System.Text;
using Jevm.Codegen;
using Jevm.Evm;
using Jevm.StateTests;
using Jevm.Tests.Support;

namespace Jevm.Tests.Conformance;

/// <summary>
/// Every file of ethtests/GeneralStateTests on every engine, one test per (engine, file). A failing case fails the test
/// unless known-failures.txt lists it; a listed case that passes also fails the test, so the list stays honest. Cases
/// that need an unimplemented precompile are reported as skipped with the reason.
/// </summary>
public class GeneralStateTestsConformance
{
    private const string Suite = "GeneralStateTests";

    // Files that are correct but take minutes by design; run them with JEVM_SLOW_TESTS=1 (or with jevm statetest).
    private static readonly Dictionary<string, string> s_slow = new()
    {
        ["stTimeConsuming/CALLBlake2f_MaxRounds.json"] = "blake2f with 2^32-1 rounds (4.3 billion) takes minutes by design",
    };

    public static TheoryData<EngineKind, string> Files() => FilesOf(Suite);

    /// <summary>One row per (engine, state-test file under the suite folder); one "(missing)" row per engine without data.</summary>
    internal static TheoryData<EngineKind, string> FilesOf(string suite)
    {
        var data = new TheoryData<EngineKind, string>();
        var root = EthTests.Root is null ? null : Path.Combine(EthTests.Root, suite);
        var engines = new List<EngineKind>();
        foreach (ITheoryDataRow row in TestEngines.All) engines.Add((EngineKind)row.GetData()[0]!);
        foreach (var engine in engines)
        {
            if (root is null || !Directory.Exists(root))
            {
                data.Add(engine, "(missing)");
                continue;
            }
            foreach (var f in StateTestRunner.FindFiles(root))
                data.Add(engine, Path.GetRelativePath(root, f).Replace('\\', '/'));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void State_test_file(EngineKind engine, string file)
    {
        var root = EthTests.Require(Suite);
        Assert.NotEqual("(missing)", file);
        if (s_slow.TryGetValue(file, out var slow) && Environment.GetEnvironmentVariable("JEVM_SLOW_TESTS") != "1")
            Assert.Skip($"slow: {slow}; set JEVM_SLOW_TESTS=1 to run it");
        var path = Path.Combine(root, file);
        var results = StateTestRunner.OnLargeStack(() => StateTestRunner.RunFile(path, Engines.Create(engine)));
        Judge(engine.ToString(), file, results, KnownFailures.Instance.For(engine.ToString(), file));
    }

    internal static void Judge(string engine, string file, List<CaseResult> results, IReadOnlyDictionary<string, string> known)
    {
        var unexpected = new StringBuilder();
        var stale = new StringBuilder();
        var notes = new StringBuilder();
        int passed = 0, knownFailed = 0, skipped = 0;
        bool wholeFileListed = known.TryGetValue("*", out var fileReason);
        var seen = new HashSet<string>();
        foreach (var r in results)
        {
            string id = r.Id;
            seen.Add(id);
            bool listed = known.TryGetValue(id, out var reason);
            switch (r.Outcome)
            {
                case CaseOutcome.Passed:
                    passed++;
                    if (listed) stale.AppendLine($"  {id}: passes now; remove it from known-failures.txt");
                    break;
                case CaseOutcome.Skipped:
                    skipped++;
                    notes.AppendLine($"  skipped {id}: {r.Reason}");
                    break;
                case CaseOutcome.Failed:
                    if (listed || wholeFileListed)
                    {
                        knownFailed++;
                        notes.AppendLine($"  known failure {id}: {reason ?? fileReason}");
                    }
                    else unexpected.AppendLine($"  {id}: {r.Reason}");
                    break;
            }
        }
        foreach (var id in known.Keys)
            if (id != "*" && !seen.Contains(id)) stale.AppendLine($"  {id}: listed but not in the file; remove it from known-failures.txt");
        if (wholeFileListed && knownFailed == 0 && unexpected.Length == 0)
            stale.AppendLine($"  whole file listed but no case fails; remove it from known-failures.txt");
        if (unexpected.Length > 0 || stale.Length > 0)
            Assert.Fail($"{engine} {file}:\n" + (unexpected.Length > 0 ? "unexpected failures:\n" + unexpected : "") + (stale.Length > 0 ? "stale known-failures entries:\n" + stale : ""));
        Assert.True(results.Count > 0, $"{file}: no cases");
        if (knownFailed > 0 || skipped > 0)
            Assert.Skip($"{passed} passed, {knownFailed} known failures, {skipped} skipped:\n{notes}");
    }
}
