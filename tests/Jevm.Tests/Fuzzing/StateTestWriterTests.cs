using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Jevm.Cli.Fuzzing;
using Jevm.Codegen;
using Jevm.Evm;
using Jevm.StateTests;

namespace Jevm.Tests.Fuzzing;

/// <summary>Divergence files are state tests the independent loader and runner accept and replay.</summary>
public class StateTestWriterTests
{
    [Property(MaxTest = 40)]
    public Property Written_cases_load_and_replay_with_the_expected_root() => Prop.ForAll(FuzzArbitraries.Cases(), c =>
    {
        var engine = Engines.Create(EngineKind.Interpreter);
        var o = StateTestRunner.OnLargeStack(() => FuzzOracle.Run(c, engine));
        var path = Path.Combine(Path.GetTempPath(), $"jevm-writer-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllBytes(path, StateTestWriter.ToJson(c, o.StateRoot, o.LogsHash, o.Invalid, "test"));
            var tests = StateTestLoader.LoadFile(path);
            var test = Assert.Single(tests);
            var tc = Assert.Single(test.Cases);
            Assert.Equal(c.Fork, tc.Fork);
            var r = StateTestRunner.OnLargeStack(() => StateTestRunner.RunCase(test, tc, engine));
            Assert.True(r.Outcome == CaseOutcome.Passed, $"{c.Name}: {r.Reason}");
            Assert.Equal(o.GasUsed, r.GasUsed);
            // A different expected root must fail: the file really pins the outcome.
            File.WriteAllBytes(path, StateTestWriter.ToJson(c, Jevm.Crypto.Keccak256.OfEmpty, o.LogsHash, o.Invalid, "test"));
            var wrong = StateTestLoader.LoadFile(path)[0];
            Assert.Equal(CaseOutcome.Failed, StateTestRunner.OnLargeStack(() => StateTestRunner.RunCase(wrong, wrong.Cases[0], engine)).Outcome);
        }
        finally { File.Delete(path); }
    });
}
