using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Jevm.Cli.Fuzzing;
using Jevm.Codegen;
using Jevm.Evm;
using Jevm.StateTests;

namespace Jevm.Tests.Fuzzing;

/// <summary>
/// The campaign's generators and oracle at a small budget: every engine agrees with the interpreter on generated
/// cases (a failure shrinks to a small case and names its seed and index, which <c>jevm fuzz</c> reproduces).
/// </summary>
public class EngineAgreementProperties
{
    private static void Agree(FuzzCase c, EngineKind other)
    {
        var reference = Engines.Create(EngineKind.Interpreter);
        var engine = Engines.Create(other);
        var diff = StateTestRunner.OnLargeStack(() =>
        {
            var a = FuzzOracle.Run(c, reference);
            var b = FuzzOracle.Run(c, engine);
            Assert.Null(a.Crash);
            return FuzzOracle.Compare(a, b) is { } fields ? $"{fields}\n{FuzzOracle.Explain(c, EngineKind.Interpreter, other, a, b)}" : null;
        });
        Assert.True(diff is null, $"{c.Name} ({c.Fork}): {diff}\nprograms: {string.Join(" | ", c.Accounts.Select(a => a.Code))}");
    }

    [Property(MaxTest = 60)]
    public Property Jit_agrees_with_the_interpreter_on_structured_cases() => Prop.ForAll(FuzzArbitraries.Cases(), c => Agree(c, EngineKind.Jit));

    [Property(MaxTest = 30)]
    public Property Jit_agrees_with_the_interpreter_on_random_bytes() => Prop.ForAll(FuzzArbitraries.RawCases(), c => Agree(c, EngineKind.Jit));

    [Property(MaxTest = 20)]
    public Property Tiered_agrees_with_the_interpreter() => Prop.ForAll(FuzzArbitraries.CasesOn(Fork.Prague), c => Agree(c, EngineKind.Tiered));

    [Fact]
    public void The_oracle_sees_a_difference_in_every_field()
    {
        var engine = Engines.Create(EngineKind.Interpreter);
        var c = CaseGenerator.Generate(1, 1);
        var a = StateTestRunner.OnLargeStack(() => FuzzOracle.Run(c, engine));
        Assert.Null(FuzzOracle.Compare(a, StateTestRunner.OnLargeStack(() => FuzzOracle.Run(c, engine))));
        Observation Copy(long? gas = null, long? refund = null, byte[]? output = null, StatusCode? status = null) => new()
        {
            Engine = "x", Invalid = a.Invalid, Status = status ?? a.Status, GasUsed = gas ?? a.GasUsed, Refund = refund ?? a.Refund,
            Output = output ?? a.Output, LogsHash = a.LogsHash, StateRoot = a.StateRoot, Frames = a.Frames,
        };
        Assert.Equal("gasUsed", FuzzOracle.Compare(a, Copy(gas: a.GasUsed + 1)));
        Assert.Equal("refund", FuzzOracle.Compare(a, Copy(refund: a.Refund + 1)));
        Assert.Equal("output", FuzzOracle.Compare(a, Copy(output: [.. a.Output, 1])));
        Assert.Equal("status", FuzzOracle.Compare(a, Copy(status: a.Status == StatusCode.Success ? StatusCode.Revert : StatusCode.Success)));
    }
}

/// <summary>Single generated programs (the program arbitraries) as the only contract of a case.</summary>
public class ProgramAgreementProperties
{
    private static void Agree(FuzzProgram program, Fork fork)
    {
        var template = CaseGenerator.Generate(2, 0, new CaseOptions { Fork = fork, CreatePercent = 0 });
        var c = template with { Accounts = [template.Accounts[0] with { Code = program }] };
        var diff = StateTestRunner.OnLargeStack(() =>
        {
            var a = FuzzOracle.Run(c, Engines.Create(EngineKind.Interpreter));
            var b = FuzzOracle.Run(c, Engines.Create(EngineKind.Jit));
            return FuzzOracle.Compare(a, b) is { } f ? $"{f}: {a.Summary} vs {b.Summary}" : null;
        });
        Assert.True(diff is null, $"{program}: {diff}");
    }

    [Property(MaxTest = 30)]
    public Property Structured_osaka_programs_agree() => Prop.ForAll(FuzzArbitraries.Programs(Fork.Osaka), p => Agree(p, Fork.Osaka));

    [Property(MaxTest = 30)]
    public Property Raw_programs_agree() => Prop.ForAll(FuzzArbitraries.RawPrograms(), p => Agree(p, Fork.Osaka));
}
